// Java archives (JAR, WAR, EAR and Spring Boot fat jars): each `META-INF/maven/<group>/<artifact>/pom.properties`
// names one Maven artifact; an archive without one falls back to its MANIFEST.MF. Archives nested inside
// (WEB-INF/lib, BOOT-INF/lib, EAR modules) are opened too, bounded in depth, count and bytes, because a
// hostile archive can nest or inflate without end. Zip reading is fflate's; sizes are checked before inflating.
import { unzipSync } from 'fflate';
import { purl } from './purl.ts';
import type { FoundPackage, PackageAnalyzer } from './types.ts';

const MiB = 1024 * 1024;
export const javaLimits = {
  maxDepth: 3,
  maxNestedArchives: 500,
  /** Total inflated bytes of nested archives per outer archive. */
  maxNestedBytes: 256 * MiB,
  maxMetadataBytes: 1 * MiB,
  maxArtifacts: 5_000,
};

const archiveName = /\.(jar|war|ear|jpi|hpi|par|sar|kar|rar)$/i;
const pomProperties = /^META-INF\/maven\/[^/]+\/[^/]+\/pom\.properties$/;

function properties(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of text.split(/\r?\n/)) {
    const m = /^\s*([^#!=:\s][^=:]*?)\s*[=:]\s*(.*?)\s*$/.exec(line);
    if (m) out.set(m[1]!, m[2]!);
  }
  return out;
}

/** MANIFEST.MF main section: `Key: value` lines, continuation lines start with one space. */
function manifest(text: string): Map<string, string> {
  const out = new Map<string, string>();
  let last: string | null = null;
  for (const line of text.split(/\r?\n/)) {
    if (line === '') break;
    if (line.startsWith(' ') && last) out.set(last, out.get(last)! + line.slice(1));
    else {
      const i = line.indexOf(':');
      if (i > 0) out.set((last = line.slice(0, i)), line.slice(i + 1).trim());
    }
  }
  return out;
}

interface Budget {
  archives: number;
  bytes: number;
  artifacts: number;
}

function readArchive(data: Uint8Array, subPath: string, depth: number, budget: Budget, out: FoundPackage[], fileName: string): void {
  const files = unzipSync(data, {
    filter: (f) => {
      if (pomProperties.test(f.name) || f.name === 'META-INF/MANIFEST.MF') return f.originalSize <= javaLimits.maxMetadataBytes;
      if (depth >= javaLimits.maxDepth || !archiveName.test(f.name)) return false;
      if (++budget.archives > javaLimits.maxNestedArchives) throw new Error(`more than ${javaLimits.maxNestedArchives} nested archives`);
      budget.bytes += f.originalSize;
      if (budget.bytes > javaLimits.maxNestedBytes) throw new Error(`nested archives inflate to more than ${javaLimits.maxNestedBytes} bytes`);
      return true;
    },
  });
  let found = false;
  for (const [name, bytes] of Object.entries(files)) {
    if (!pomProperties.test(name)) continue;
    const p = properties(Buffer.from(bytes).toString('utf8'));
    const group = p.get('groupId');
    const artifact = p.get('artifactId');
    const version = p.get('version');
    if (!group || !artifact || !version) continue;
    if (++budget.artifacts > javaLimits.maxArtifacts) throw new Error(`more than ${javaLimits.maxArtifacts} artifacts`);
    out.push({ name: `${group}:${artifact}`, version, ...(subPath ? { subPath } : {}) });
    found = true;
  }
  const mf = files['META-INF/MANIFEST.MF'];
  if (!found && mf) {
    const m = manifest(Buffer.from(mf).toString('utf8'));
    const version = m.get('Implementation-Version') ?? m.get('Bundle-Version');
    const title = m.get('Implementation-Title') ?? m.get('Bundle-SymbolicName')?.split(';')[0] ?? fileName.replace(/-\d.*$|\.[a-z]+$/i, '');
    const group = m.get('Implementation-Vendor-Id') ?? m.get('Automatic-Module-Name')?.replace(/\.[^.]+$/, '');
    if (version && title) out.push({ name: group && !title.includes(':') ? `${group}:${title}` : title, version, ...(subPath ? { subPath } : {}) });
  }
  for (const [name, bytes] of Object.entries(files)) {
    if (!archiveName.test(name)) continue;
    try {
      readArchive(bytes, `${subPath}!/${name}`, depth + 1, budget, out, name.slice(name.lastIndexOf('/') + 1));
    } catch (err) {
      if (/more than/.test((err as Error).message)) throw err;
      // A nested entry that is not a readable zip is skipped; the outer archive's findings stand.
    }
  }
}

export function readJavaArchive(data: Uint8Array, fileName: string): FoundPackage[] {
  const out: FoundPackage[] = [];
  readArchive(data, '', 0, { archives: 0, bytes: 0, artifacts: 0 }, out, fileName);
  return out;
}

export const javaAnalyzer: PackageAnalyzer = {
  name: 'java',
  manager: 'java',
  maxBytes: 128 * MiB,
  matches: ({ path }) => archiveName.test(path),
  analyze: ({ path, content }) => readJavaArchive(content, path.slice(path.lastIndexOf('/') + 1)),
  identify: (p) => {
    const i = p.name.indexOf(':');
    return { purl: purl('maven', i > 0 ? p.name.slice(0, i) : undefined, i > 0 ? p.name.slice(i + 1) : p.name, p.version), ecosystem: 'Maven' };
  },
};
