// A bounded reader of ELF section headers (the System V ABI's ELF format): enough to find a named section
// in a binary held in memory. Every offset is checked against the buffer, so a hostile header cannot read
// outside it.

export const isElf = (head: Buffer): boolean => head.length >= 4 && head[0] === 0x7f && head[1] === 0x45 && head[2] === 0x4c && head[3] === 0x46;

export interface Section {
  name: string;
  offset: number;
  size: number;
  type: number;
}

const SHT_NOBITS = 8;

export function elfSections(b: Buffer): Section[] {
  if (!isElf(b) || b.length < 52) throw new Error('not an ELF file');
  const is64 = b[4] === 2;
  const le = b[5] === 1;
  if (b[4] !== 1 && b[4] !== 2) throw new Error('unknown ELF class');
  const u16 = (o: number): number => (le ? b.readUInt16LE(o) : b.readUInt16BE(o));
  const u32 = (o: number): number => (le ? b.readUInt32LE(o) : b.readUInt32BE(o));
  const word = (o: number): number => (is64 ? Number(le ? b.readBigUInt64LE(o) : b.readBigUInt64BE(o)) : u32(o));
  if (is64 && b.length < 64) throw new Error('ELF header cut short');
  const shoff = word(is64 ? 0x28 : 0x20);
  const shentsize = u16(is64 ? 0x3a : 0x2e);
  const shnum = u16(is64 ? 0x3c : 0x30);
  const shstrndx = u16(is64 ? 0x3e : 0x32);
  const minEntry = is64 ? 64 : 40;
  if (shnum === 0 || shoff === 0) return [];
  if (shentsize < minEntry || shoff + shnum * shentsize > b.length) throw new Error('section header table lies outside the file');
  const raw = [];
  for (let i = 0; i < shnum; i++) {
    const o = shoff + i * shentsize;
    raw.push({
      nameOffset: u32(o),
      type: u32(o + 4),
      offset: word(o + (is64 ? 0x18 : 0x10)),
      size: word(o + (is64 ? 0x20 : 0x14)),
    });
  }
  const strtab = raw[shstrndx];
  if (!strtab || strtab.offset + strtab.size > b.length) throw new Error('section name table lies outside the file');
  return raw.map((s) => {
    const start = strtab.offset + s.nameOffset;
    const end = start < strtab.offset + strtab.size ? b.indexOf(0, start) : -1;
    const name = end > start && end <= strtab.offset + strtab.size ? b.toString('latin1', start, end) : '';
    return { name, offset: s.offset, size: s.type === SHT_NOBITS ? 0 : s.size, type: s.type };
  });
}

/** The bytes of a named section, or null when the binary has none (or it lies outside the file). */
export function sectionData(b: Buffer, name: string): Buffer | null {
  const s = elfSections(b).find((x) => x.name === name);
  if (!s || s.offset + s.size > b.length) return null;
  return b.subarray(s.offset, s.offset + s.size);
}
