// Alpine (and Wolfi) packages: /lib/apk/db/installed, one record per package (P: name, V: version,
// A: arch, o: origin, the source package that advisories are keyed on), blank-line separated.
import { osEcosystem, purlDistro } from './os-ecosystem.ts';
import { purl } from './purl.ts';
import { stanzaBlocks } from './byte-source.ts';
import { stanzas } from './control-fields.ts';
import type { FoundPackage, PackageAnalyzer } from './types.ts';

const dbPath = '/lib/apk/db/installed';

export function parseApkInstalled(text: string): FoundPackage[] {
  const packages: FoundPackage[] = [];
  for (const f of stanzas(text)) {
    const name = f.get('P');
    const version = f.get('V');
    if (!name || !version) continue;
    const arch = f.get('A');
    packages.push({ name, version, source: { name: f.get('o') || name, version }, ...(arch ? { arch } : {}) });
  }
  return packages;
}

export const apkAnalyzer: PackageAnalyzer = {
  name: 'apk',
  manager: 'apk',
  maxBytes: Number.MAX_SAFE_INTEGER,
  matches: ({ path }) => path === dbPath,
  read: ({ source }) => [...stanzaBlocks(source)].flatMap(parseApkInstalled),
  identify: (p, os) => ({
    purl: purl('apk', os?.id ?? 'alpine', p.name, p.version, { arch: p.arch, distro: purlDistro(os) }),
    ecosystem: osEcosystem(os),
  }),
};
