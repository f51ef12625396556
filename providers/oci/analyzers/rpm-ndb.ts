// rpm's NDB package database (`Packages.db`, SUSE and rpm built with ndb): a slot table in the first pages
// (16-byte slots: "Slot" magic, package index, block offset, block count) pointing at blobs stored in
// 16-byte blocks, each blob framed by a "BlbS" head (magic, package index, generation, length).
// Read by position: the slot table in chunks, then each blob on its own.
import type { ByteSource } from './byte-source.ts';
import type { RpmBlob } from './rpm-header.ts';

const slotMagic = 0x746f6c53; // "Slot" little-endian
const blobMagic = 0x53626c42; // "BlbS"
const fileMagic = 0x506d7052; // "RpmP"
const pageSize = 4096;
const blockSize = 16;
const slotChunk = 64 * 1024;

export function isNdb(b: Buffer): boolean {
  return b.length >= 16 && b.readUInt32LE(0) === fileMagic;
}

export function* ndbBlobs(src: ByteSource, maxBlobBytes: number): Generator<RpmBlob> {
  const head = src.read(0, 16);
  if (!isNdb(head)) throw new Error('not an rpm NDB database');
  const slotPages = head.readUInt32LE(12);
  const slotEnd = Math.min(src.size, slotPages * pageSize);
  for (let base = 0; base < slotEnd; base += slotChunk) {
    const slots = src.read(base, Math.min(slotChunk, slotEnd - base));
    for (let i = base === 0 ? 16 : 0; i + 16 <= slots.length; i += 16) {
      if (slots.readUInt32LE(i) !== slotMagic) continue;
      const pkgIdx = slots.readUInt32LE(i + 4);
      const blkOff = slots.readUInt32LE(i + 8);
      if (pkgIdx === 0 || blkOff === 0) continue;
      const o = blkOff * blockSize;
      if (o + 16 > src.size) continue;
      const frame = src.read(o, 16);
      if (frame.readUInt32LE(0) !== blobMagic || frame.readUInt32LE(4) !== pkgIdx) continue;
      const len = frame.readUInt32LE(12);
      if (o + 16 + len > src.size) throw new Error(`blob of package ${pkgIdx} runs past the end of the file`);
      yield len > maxBlobBytes ? { oversized: len, id: pkgIdx } : src.read(o + 16, len);
    }
  }
}
