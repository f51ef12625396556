// Java archives (JAR, WAR, EAR and Spring Boot fat jars): each `META-INF/maven/<group>/<artifact>/pom.properties`
// names one Maven artifact; an archive without one falls back to its MANIFEST.MF. Archives nested inside
// (WEB-INF/lib, BOOT-INF/lib, EAR modules) are opened too, bounded in depth, count and bytes, because a
// hostile archive can nest or inflate without end. Zip reading is yauzl's, from the central directory by
// position, so an archive is never held whole: only the metadata entries are inflated into memory, and a
// nested archive is inflated into memory when small or into a temporary file when large, one at a time.
// Sizes are checked before inflating, and what inflates is held to the size claimed.
import type yauzl from 'yauzl';
import { TempSpaceExceeded } from '../analysis/temp-space.ts';
import { bufferSource, type ByteSource } from './byte-source.ts';
import { purl } from './purl.ts';
import type { FoundPackage, PackageAnalyzer, Unpacker } from './types.ts';
import { nameOf, openZip, readEntry } from './zip-source.ts';

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

/** A budget of the whole archive spent: it stops the archive, where a broken nested entry is only skipped. */
class ArchiveBudgetExceeded extends Error {
  override name = 'ArchiveBudgetExceeded';
}

interface Budget {
  archives: number;
  bytes: number;
  artifacts: number;
}

async function readArchive(src: ByteSource, subPath: string, depth: number, budget: Budget, out: FoundPackage[], fileName: string, unpacker: Unpacker): Promise<void> {
  const zip = await openZip(src);
  // The last entry of a name wins, as when an archive is unpacked.
  const poms = new Map<string, Buffer>();
  const nested = new Map<string, yauzl.Entry>();
  let mf: Buffer | undefined;
  try {
    for await (const entry of zip.eachEntry()) {
      const name = nameOf(entry);
      if (pomProperties.test(name) || name === 'META-INF/MANIFEST.MF') {
        if (entry.uncompressedSize > javaLimits.maxMetadataBytes) continue;
        if (poms.size >= javaLimits.maxArtifacts) throw new ArchiveBudgetExceeded(`more than ${javaLimits.maxArtifacts} artifacts`);
        const bytes = await readEntry(zip, entry, javaLimits.maxMetadataBytes, name);
        if (name === 'META-INF/MANIFEST.MF') mf = bytes;
        else poms.set(name, bytes);
        continue;
      }
      if (depth >= javaLimits.maxDepth || !archiveName.test(name)) continue;
      if (++budget.archives > javaLimits.maxNestedArchives) throw new ArchiveBudgetExceeded(`more than ${javaLimits.maxNestedArchives} nested archives`);
      budget.bytes += entry.uncompressedSize;
      if (budget.bytes > javaLimits.maxNestedBytes) throw new ArchiveBudgetExceeded(`nested archives inflate to more than ${javaLimits.maxNestedBytes} bytes`);
      nested.set(name, entry);
    }
    let found = false;
    for (const bytes of poms.values()) {
      const p = properties(bytes.toString('utf8'));
      const group = p.get('groupId');
      const artifact = p.get('artifactId');
      const version = p.get('version');
      if (!group || !artifact || !version) continue;
      if (++budget.artifacts > javaLimits.maxArtifacts) throw new ArchiveBudgetExceeded(`more than ${javaLimits.maxArtifacts} artifacts`);
      out.push({ name: `${group}:${artifact}`, version, ...(subPath ? { subPath } : {}) });
      found = true;
    }
    if (!found && mf) {
      const m = manifest(mf.toString('utf8'));
      const version = m.get('Implementation-Version') ?? m.get('Bundle-Version');
      const title = m.get('Implementation-Title') ?? m.get('Bundle-SymbolicName')?.split(';')[0] ?? fileName.replace(/-\d.*$|\.[a-z]+$/i, '');
      const group = m.get('Implementation-Vendor-Id') ?? m.get('Automatic-Module-Name')?.replace(/\.[^.]+$/, '');
      if (version && title) out.push({ name: group && !title.includes(':') ? `${group}:${title}` : title, version, ...(subPath ? { subPath } : {}) });
    }
    for (const [name, entry] of nested) await readNested(zip, entry, name, `${subPath}!/${name}`, depth + 1, budget, out, unpacker);
  } finally {
    zip.close();
  }
}

/** One nested archive, in memory or in a temporary file by its size; a nested entry that is not a readable zip is skipped. */
async function readNested(zip: yauzl.ZipFile, entry: yauzl.Entry, name: string, subPath: string, depth: number, budget: Budget, out: FoundPackage[], unpacker: Unpacker): Promise<void> {
  const size = entry.uncompressedSize;
  let spooled: Awaited<ReturnType<Unpacker['spool']>> | null = null;
  try {
    let src: ByteSource;
    if (size <= unpacker.spoolAbove) src = bufferSource(await readEntry(zip, entry, size, name));
    else {
      spooled = await unpacker.spool(await zip.openReadStreamPromise(entry), size, name);
      src = spooled.source();
    }
    await readArchive(src, subPath, depth, budget, out, name.slice(name.lastIndexOf('/') + 1), unpacker);
  } catch (err) {
    // Budgets (count, bytes, temporary space) stop the whole archive; anything else skips this entry only.
    if (err instanceof ArchiveBudgetExceeded || err instanceof TempSpaceExceeded) throw err;
  } finally {
    spooled?.remove();
  }
}

export async function readJavaArchive(src: ByteSource, fileName: string, unpacker: Unpacker): Promise<FoundPackage[]> {
  const out: FoundPackage[] = [];
  await readArchive(src, '', 0, { archives: 0, bytes: 0, artifacts: 0 }, out, fileName, unpacker);
  return out;
}

export const javaAnalyzer: PackageAnalyzer = {
  name: 'java',
  manager: 'java',
  maxBytes: Number.MAX_SAFE_INTEGER,
  matches: ({ path }) => archiveName.test(path),
  read: ({ path, source, unpacker }) => readJavaArchive(source, path.slice(path.lastIndexOf('/') + 1), unpacker),
  identify: (p) => {
    const i = p.name.indexOf(':');
    return { purl: purl('maven', i > 0 ? p.name.slice(0, i) : undefined, i > 0 ? p.name.slice(i + 1) : p.name, p.version), ecosystem: 'Maven' };
  },
};
