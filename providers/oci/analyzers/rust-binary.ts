// Rust binaries built with `cargo auditable`: the `.dep-v0` ELF section holds zlib-compressed JSON
// (`{"packages":[{"name","version","source","kind","root"}...]}`) listing every crate compiled in.
// Only crates from crates.io are listed (OSV's `crates.io` ecosystem); build-time-only crates are left out.
import { inflateSync } from 'node:zlib';
import type { ByteSource } from './byte-source.ts';
import { isElf, sectionData } from './elf.ts';
import { purl } from './purl.ts';
import type { FoundPackage, PackageAnalyzer } from './types.ts';

const maxJsonBytes = 8 * 1024 * 1024;
const maxCrates = 20_000;

export function parseAuditableJson(text: string): FoundPackage[] {
  const doc = JSON.parse(text) as { packages?: unknown };
  if (!Array.isArray(doc.packages)) throw new Error('no "packages" list in the cargo auditable data');
  if (doc.packages.length > maxCrates) throw new Error(`more than ${maxCrates} crates`);
  const out: FoundPackage[] = [];
  for (const p of doc.packages as { name?: unknown; version?: unknown; source?: unknown; kind?: unknown; root?: unknown }[]) {
    if (typeof p?.name !== 'string' || typeof p.version !== 'string') continue;
    if (p.source !== 'crates.io' || p.kind === 'build') continue;
    out.push({ name: p.name, version: p.version });
  }
  return out;
}

export function readAuditableSection(src: ByteSource): FoundPackage[] {
  // zlib cannot shrink 8 MiB of JSON to less than a thousandth, nor needs more than it plus framing.
  const section = sectionData(src, '.dep-v0', maxJsonBytes + 64 * 1024);
  if (!section) return [];
  const json = inflateSync(section, { maxOutputLength: maxJsonBytes });
  return parseAuditableJson(json.toString('utf8'));
}

export const rustBinaryAnalyzer: PackageAnalyzer = {
  name: 'rust-binary',
  manager: 'cargo',
  maxBytes: Number.MAX_SAFE_INTEGER,
  matches: ({ size, mode }) => (mode & 0o111) !== 0 && size > 1024,
  sniff: isElf,
  read: ({ source }) => readAuditableSection(source),
  identify: (p) => ({ purl: purl('cargo', undefined, p.name, p.version), ecosystem: 'crates.io' }),
};
