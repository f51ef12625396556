// Debian packages: /var/lib/dpkg/status, plus the per-package files under status.d/ that distroless images
// use. Each binary package carries its source package (the `Source:` field, "name (version)" when the
// source version differs), because Debian's advisories are keyed on source packages.
import { osEcosystem, purlDistro } from './os-ecosystem.ts';
import { purl } from './purl.ts';
import { stanzaBlocks } from './byte-source.ts';
import { stanzas } from './control-fields.ts';
import type { FoundPackage, PackageAnalyzer } from './types.ts';

const statusFile = '/var/lib/dpkg/status';
const statusDir = '/var/lib/dpkg/status.d/';

/** `requireInstalled`: the status file keeps removed packages ("deinstall ok config-files"); status.d does not. */
export function parseDpkgStatus(text: string, requireInstalled: boolean): FoundPackage[] {
  const packages: FoundPackage[] = [];
  for (const f of stanzas(text)) {
    const name = f.get('Package');
    const version = f.get('Version');
    if (!name || !version) continue;
    // The third word of Status is the package's state; only "installed" has its files on disk.
    if (requireInstalled && f.get('Status')?.split(/\s+/)[2] !== 'installed') continue;
    const m = /^(\S+)(?:\s+\((\S+)\))?/.exec(f.get('Source') ?? '');
    const source = m ? { name: m[1]!, version: m[2] ?? version } : { name, version };
    const arch = f.get('Architecture');
    packages.push({ name, version, source, ...(arch ? { arch } : {}) });
  }
  return packages;
}

export const dpkgAnalyzer: PackageAnalyzer = {
  name: 'dpkg',
  manager: 'dpkg',
  maxBytes: Number.MAX_SAFE_INTEGER,
  matches: ({ path }) => path === statusFile || (path.startsWith(statusDir) && !path.endsWith('.md5sums') && !path.slice(statusDir.length).includes('/')),
  read: ({ path, source }) => [...stanzaBlocks(source)].flatMap((text) => parseDpkgStatus(text, path === statusFile)),
  identify: (p, os) => ({
    purl: purl('deb', os?.id ?? 'debian', p.name, p.version, { arch: p.arch, distro: purlDistro(os) }),
    ecosystem: osEcosystem(os),
  }),
};
