// rpm's NDB package database (`Packages.db`, SUSE and rpm built with ndb): a slot table in the first pages
// (16-byte slots: "Slot" magic, package index, block offset, block count) pointing at blobs stored in
// 16-byte blocks, each blob framed by a "BlbS" head (magic, package index, generation, length).

const slotMagic = 0x746f6c53; // "Slot" little-endian
const blobMagic = 0x53626c42; // "BlbS"
const fileMagic = 0x506d7052; // "RpmP"
const pageSize = 4096;
const blockSize = 16;

export function isNdb(b: Buffer): boolean {
  return b.length >= 16 && b.readUInt32LE(0) === fileMagic;
}

export function* ndbBlobs(b: Buffer): Generator<Buffer> {
  if (!isNdb(b)) throw new Error('not an rpm NDB database');
  const slotPages = b.readUInt32LE(12);
  const slotEnd = Math.min(b.length, slotPages * pageSize);
  for (let at = 16; at + 16 <= slotEnd; at += 16) {
    if (b.readUInt32LE(at) !== slotMagic) continue;
    const pkgIdx = b.readUInt32LE(at + 4);
    const blkOff = b.readUInt32LE(at + 8);
    if (pkgIdx === 0 || blkOff === 0) continue;
    const o = blkOff * blockSize;
    if (o + 16 > b.length || b.readUInt32LE(o) !== blobMagic || b.readUInt32LE(o + 4) !== pkgIdx) continue;
    const len = b.readUInt32LE(o + 12);
    if (o + 16 + len > b.length) throw new Error(`blob of package ${pkgIdx} runs past the end of the file`);
    yield b.subarray(o + 16, o + 16 + len);
  }
}
