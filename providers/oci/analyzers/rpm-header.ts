// The RPM header structure as the package databases store it (the header without its 8-byte lead magic):
// a big-endian count of index entries and of data bytes, then 16-byte index entries (tag, type, offset,
// count) into the data store. Only the tags the inventory needs are read; every offset is checked.
import type { FoundPackage } from './types.ts';

const TAG = { name: 1000, version: 1001, release: 1002, epoch: 1003, arch: 1022, sourceRpm: 1044 } as const;
const TYPE_INT32 = 4;
const TYPE_STRING = 6;
const TYPE_I18NSTRING = 9;
/** rpm's own limits on a header: 64 Ki index entries and 256 MiB of data. */
const maxIndexEntries = 0xffff;
const maxDataBytes = 256 * 1024 * 1024;

/** A stored header, or the size and record id of one too large to read (the databases' values are unbounded). */
export type RpmBlob = Buffer | { oversized: number; id: number };

export interface RpmHeader {
  name: string;
  version: string;
  release: string;
  epoch: number | null;
  arch: string | null;
  sourceRpm: string | null;
}

export function parseRpmHeader(blob: Buffer): RpmHeader {
  if (blob.length < 8) throw new Error('RPM header shorter than its 8-byte preamble');
  const il = blob.readUInt32BE(0);
  const dl = blob.readUInt32BE(4);
  if (il > maxIndexEntries || dl > maxDataBytes) throw new Error(`RPM header claims ${il} entries and ${dl} data bytes, over rpm's limits`);
  const dataStart = 8 + il * 16;
  if (dataStart + dl > blob.length) throw new Error('RPM header is cut short');
  const strings = new Map<number, string>();
  let epoch: number | null = null;
  for (let i = 0; i < il; i++) {
    const at = 8 + i * 16;
    const tag = blob.readInt32BE(at);
    const type = blob.readUInt32BE(at + 4);
    const offset = blob.readInt32BE(at + 8);
    if (offset < 0 || offset >= dl) continue;
    const start = dataStart + offset;
    if (tag === TAG.epoch && type === TYPE_INT32 && offset + 4 <= dl) epoch = blob.readUInt32BE(start);
    else if ((type === TYPE_STRING || type === TYPE_I18NSTRING) && Object.values(TAG).includes(tag as never)) {
      const end = blob.indexOf(0, start);
      if (end < 0 || end > dataStart + dl) throw new Error(`RPM header tag ${tag} runs past the data store`);
      strings.set(tag, blob.toString('utf8', start, end));
    }
  }
  const name = strings.get(TAG.name);
  const version = strings.get(TAG.version);
  const release = strings.get(TAG.release);
  if (!name || !version || !release) throw new Error('RPM header without name, version or release');
  return { name, version, release, epoch, arch: strings.get(TAG.arch) ?? null, sourceRpm: strings.get(TAG.sourceRpm) ?? null };
}

/** `openssl-3.0.7-24.el9.src.rpm` → name `openssl`, version `3.0.7-24.el9` (the last two dashes split it). */
export function splitSourceRpm(sourceRpm: string): { name: string; version: string } | null {
  const base = sourceRpm.replace(/\.(no)?src\.rpm$/, '');
  const r = base.lastIndexOf('-');
  const v = r > 0 ? base.lastIndexOf('-', r - 1) : -1;
  return v > 0 ? { name: base.slice(0, v), version: base.slice(v + 1) } : null;
}

export function headerToPackage(h: RpmHeader): FoundPackage | null {
  if (h.name === 'gpg-pubkey') return null; // imported signing keys, not software
  const vr = `${h.version}-${h.release}`;
  return {
    name: h.name,
    version: h.epoch ? `${h.epoch}:${vr}` : vr,
    ...(h.epoch !== null ? { epoch: h.epoch } : {}),
    ...(h.arch ? { arch: h.arch } : {}),
    source: h.sourceRpm ? splitSourceRpm(h.sourceRpm) : null,
  };
}
