// A bounded reader of ELF section headers (the System V ABI's ELF format): enough to find a named section
// and read only it, by position, so a large binary is never read whole. Every offset is checked against the
// file, and the tables read are capped, so a hostile header can neither read outside the file nor make a
// large allocation.
import type { ByteSource } from './byte-source.ts';

export const isElf = (head: Buffer): boolean => head.length >= 4 && head[0] === 0x7f && head[1] === 0x45 && head[2] === 0x4c && head[3] === 0x46;

export interface Section {
  name: string;
  offset: number;
  size: number;
  type: number;
}

const SHT_NOBITS = 8;
/** Real section header entries are 40 (32-bit) or 64 (64-bit) bytes, and section name tables a few KiB. */
const maxEntryBytes = 256;
const maxNameTableBytes = 1024 * 1024;

export function elfSections(src: ByteSource): Section[] {
  const b = src.read(0, 64);
  if (!isElf(b) || b.length < 52) throw new Error('not an ELF file');
  const is64 = b[4] === 2;
  const le = b[5] === 1;
  if (b[4] !== 1 && b[4] !== 2) throw new Error('unknown ELF class');
  if (is64 && b.length < 64) throw new Error('ELF header cut short');
  const u16 = (x: Buffer, o: number): number => (le ? x.readUInt16LE(o) : x.readUInt16BE(o));
  const u32 = (x: Buffer, o: number): number => (le ? x.readUInt32LE(o) : x.readUInt32BE(o));
  const word = (x: Buffer, o: number): number => (is64 ? Number(le ? x.readBigUInt64LE(o) : x.readBigUInt64BE(o)) : u32(x, o));
  const shoff = word(b, is64 ? 0x28 : 0x20);
  const shentsize = u16(b, is64 ? 0x3a : 0x2e);
  const shnum = u16(b, is64 ? 0x3c : 0x30);
  const shstrndx = u16(b, is64 ? 0x3e : 0x32);
  const minEntry = is64 ? 64 : 40;
  if (shnum === 0 || shoff === 0) return [];
  if (shentsize < minEntry || shentsize > maxEntryBytes || shoff + shnum * shentsize > src.size) throw new Error('section header table lies outside the file');
  const table = src.read(shoff, shnum * shentsize);
  const raw = [];
  for (let i = 0; i < shnum; i++) {
    const o = i * shentsize;
    raw.push({
      nameOffset: u32(table, o),
      type: u32(table, o + 4),
      offset: word(table, o + (is64 ? 0x18 : 0x10)),
      size: word(table, o + (is64 ? 0x20 : 0x14)),
    });
  }
  const strtab = raw[shstrndx];
  if (!strtab || strtab.offset + strtab.size > src.size) throw new Error('section name table lies outside the file');
  if (strtab.size > maxNameTableBytes) throw new Error(`section name table of ${strtab.size} bytes, over ${maxNameTableBytes}`);
  const names = src.read(strtab.offset, strtab.size);
  return raw.map((s) => {
    const start = s.nameOffset;
    const end = start < names.length ? names.indexOf(0, start) : -1;
    const name = end > start ? names.toString('latin1', start, end) : '';
    return { name, offset: s.offset, size: s.type === SHT_NOBITS ? 0 : s.size, type: s.type };
  });
}

/** A named section lying inside the file, or null when the binary has none. */
export function findSection(src: ByteSource, name: string): Section | null {
  const s = elfSections(src).find((x) => x.name === name);
  return s && s.offset + s.size <= src.size ? s : null;
}

/** The bytes of a named section (null when absent), refusing one larger than `maxBytes`. */
export function sectionData(src: ByteSource, name: string, maxBytes: number): Buffer | null {
  const s = findSection(src, name);
  if (!s) return null;
  if (s.size > maxBytes) throw new Error(`section ${name} is ${s.size} bytes, over the ${maxBytes}-byte limit`);
  return src.read(s.offset, s.size);
}
