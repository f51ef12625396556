// Berkeley DB hash databases (rpm's `Packages` before rpm 4.16, still in UBI 8, CentOS 7, Amazon Linux 2):
// values are read page by page from the on-disk hash format. Metadata page 0 gives the page size and byte
// order; hash pages hold key/value items (inline, or "off-page" in a chain of overflow pages).
// Bounded: every page number and length is checked, an overflow chain cannot revisit a page, and one page
// (or one value, up to the caller's cap) is in memory at a time.
import type { ByteSource } from './byte-source.ts';
import type { RpmBlob } from './rpm-header.ts';

const HASH_MAGIC = 0x061561;
const P_HASH_UNSORTED = 2;
const P_OVERFLOW = 7;
const P_HASH = 13;
const H_KEYDATA = 1;
const H_OFFPAGE = 3;
const pageHeaderBytes = 26;

export function isBerkeleyHash(b: Buffer): boolean {
  return b.length >= 512 && (b.readUInt32LE(12) === HASH_MAGIC || b.readUInt32BE(12) === HASH_MAGIC);
}

/** Every data value of the hash database, in page order; a value over `maxValueBytes` is named, not read. */
export function* berkeleyHashValues(src: ByteSource, maxValueBytes: number): Generator<RpmBlob> {
  const meta = src.read(0, 512);
  if (!isBerkeleyHash(meta)) throw new Error('not a Berkeley DB hash database');
  const le = meta.readUInt32LE(12) === HASH_MAGIC;
  const u16 = (b: Buffer, o: number): number => (le ? b.readUInt16LE(o) : b.readUInt16BE(o));
  const u32 = (b: Buffer, o: number): number => (le ? b.readUInt32LE(o) : b.readUInt32BE(o));
  const pageSize = u32(meta, 20);
  if (pageSize < 512 || pageSize > 65536 || pageSize & (pageSize - 1)) throw new Error(`implausible page size ${pageSize}`);
  const pages = Math.floor(src.size / pageSize);

  const overflow = (first: number, total: number): Buffer => {
    const out = Buffer.allocUnsafe(total);
    let filled = 0;
    const seen = new Set<number>();
    for (let pg = first; pg !== 0 && filled < total; ) {
      if (pg >= pages || seen.has(pg)) throw new Error(`overflow chain reaches page ${pg} out of order`);
      seen.add(pg);
      const page = src.read(pg * pageSize, pageSize);
      if (page[25] !== P_OVERFLOW) throw new Error(`page ${pg} is not an overflow page`);
      const len = Math.min(u16(page, 22), pageSize - pageHeaderBytes, total - filled);
      filled += page.copy(out, filled, pageHeaderBytes, pageHeaderBytes + len);
      pg = u32(page, 16);
    }
    if (filled !== total) throw new Error('overflow chain ends early');
    return out;
  };

  for (let pg = 1; pg < pages; pg++) {
    const page = src.read(pg * pageSize, pageSize);
    const type = page[25];
    if (type !== P_HASH && type !== P_HASH_UNSORTED) continue;
    const entries = u16(page, 20);
    if (pageHeaderBytes + entries * 2 > pageSize) continue;
    // Items are packed from the end of the page; item i ends where item i-1 starts.
    for (let i = 1; i < entries; i += 2) {
      const start = u16(page, pageHeaderBytes + i * 2);
      const end = u16(page, pageHeaderBytes + (i - 1) * 2);
      if (start >= end || end > pageSize) continue;
      const item = page.subarray(start, end);
      if (item[0] === H_KEYDATA) yield item.subarray(1);
      else if (item[0] === H_OFFPAGE && item.length >= 12) {
        const total = u32(page, start + 8);
        yield total > maxValueBytes ? { oversized: total, id: u32(page, start + 4) } : overflow(u32(page, start + 4), total);
      }
    }
  }
}
