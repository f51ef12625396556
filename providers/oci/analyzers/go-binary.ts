// Go binaries: the build information the Go linker embeds (Go 1.18 and later write it inline after the
// 32-byte header that starts with the magic "\xff Go buildinf:"): the Go version, the main module and every
// dependency module with its version, `=>` lines replacing the module above them. The Go version becomes
// the `stdlib` package, as in the Go vulnerability database.
import { findAligned, type ByteSource } from './byte-source.ts';
import { findSection, isElf } from './elf.ts';
import { purl, splitLast } from './purl.ts';
import type { FoundPackage, PackageAnalyzer } from './types.ts';

const magic = Buffer.from('\xff Go buildinf:', 'latin1');
const maxModules = 10_000;
/** The Go version and module list together; 10,000 modules of long paths stay far below it. */
const maxBuildInfoBytes = 16 * 1024 * 1024;

function readVarint(b: Buffer, at: number): [number, number] {
  let value = 0;
  let shift = 0;
  for (let i = at; i < b.length && shift < 35; i++) {
    value += (b[i]! & 0x7f) * 2 ** shift;
    if (!(b[i]! & 0x80)) return [value, i + 1];
    shift += 7;
  }
  throw new Error('build info string length is cut short');
}

function readString(b: Buffer, at: number): [string, number] {
  const [length, start] = readVarint(b, at);
  if (start + length > b.length) throw new Error(`build info string runs past the end of the file (or past ${maxBuildInfoBytes} bytes)`);
  return [b.toString('utf8', start, start + length), start + length];
}

export interface GoBuildInfo {
  goVersion: string;
  modules: { path: string; version: string; main: boolean }[];
}

/**
 * Where the build info header starts: in the `.go.buildinfo` section when the binary keeps its section
 * headers (Go writes the header at the section's start), else the first 16-byte-aligned magic anywhere in
 * the file (the header is 16-byte aligned; a misaligned hit is an unrelated string), searched chunk by chunk.
 */
function findBuildInfo(src: ByteSource): number {
  let section = null;
  try {
    section = findSection(src, '.go.buildinfo');
  } catch {
    // unreadable section headers: fall back to the search
  }
  if (section) {
    const at = findAligned(src, magic, 16, section.offset, section.offset + Math.min(section.size, 64));
    if (at >= 0) return at;
  }
  return findAligned(src, magic, 16);
}

/** Null when the binary has no build info (not Go, or stripped of it). */
export function readGoBuildInfo(src: ByteSource): GoBuildInfo | null {
  const found = findBuildInfo(src);
  if (found < 0 || found + 32 > src.size) return null;
  // The header and the two strings after it, read as one window of bounded size.
  const b = src.read(found, Math.min(src.size - found, 32 + maxBuildInfoBytes));
  const flags = b[15]!;
  if (!(flags & 0x2)) throw new Error('Go build info written before Go 1.18 (pointer form) is not read');
  const [goVersion, next] = readString(b, 32);
  let [modinfo] = readString(b, next);
  // The module information is framed by 16-byte sentinels.
  if (modinfo.length >= 33 && modinfo[modinfo.length - 17] === '\n') modinfo = modinfo.slice(16, -16);
  const modules: GoBuildInfo['modules'] = [];
  for (const line of modinfo.split('\n')) {
    const f = line.split('\t');
    if (f[0] === 'mod' || f[0] === 'dep') {
      if (modules.length >= maxModules) throw new Error(`more than ${maxModules} modules`);
      modules.push({ path: f[1] ?? '', version: f[2] ?? '', main: f[0] === 'mod' });
    } else if (f[0] === '=>' && modules.length && f[2]) {
      // A replacement with a version is another module; a local directory replacement keeps the original.
      const last = modules[modules.length - 1]!;
      modules[modules.length - 1] = { path: f[1] ?? last.path, version: f[2], main: last.main };
    }
  }
  return { goVersion, modules };
}

/** `go1.22.5` (possibly followed by experiment flags) as the module-style version `v1.22.5`. */
export function goStdlibVersion(goVersion: string): string | null {
  const m = /^go(\d+(?:\.\d+){0,2})/.exec(goVersion.trim());
  if (!m) return null;
  const parts = m[1]!.split('.');
  while (parts.length < 3) parts.push('0');
  return `v${parts.join('.')}`;
}

export function goPackages(info: GoBuildInfo): FoundPackage[] {
  const out: FoundPackage[] = [];
  for (const m of info.modules) {
    if (!m.path || !m.version || m.version === '(devel)') continue;
    out.push({ name: m.path, version: m.version });
  }
  const std = goStdlibVersion(info.goVersion);
  if (std) out.push({ name: 'stdlib', version: std });
  return out;
}

export const goBinaryAnalyzer: PackageAnalyzer = {
  name: 'go-binary',
  manager: 'go',
  maxBytes: Number.MAX_SAFE_INTEGER,
  matches: ({ size, mode }) => (mode & 0o111) !== 0 && size > 1024,
  sniff: isElf,
  read: ({ source }) => {
    const info = readGoBuildInfo(source);
    return info ? goPackages(info) : [];
  },
  identify: (p) => {
    const { namespace, name } = splitLast(p.name, '/');
    return { purl: purl('golang', namespace, name, p.version), ecosystem: 'Go' };
  },
};
