// RPM packages from whichever database the image has: SQLite (rpmdb.sqlite), Berkeley DB (Packages) or
// NDB (Packages.db), in /var/lib/rpm or /usr/lib/sysimage/rpm. The format is told by the file's magic,
// not its name. Each header gives name, epoch, version, release, arch and the source RPM.
import { osEcosystem, purlDistro } from './os-ecosystem.ts';
import { purl } from './purl.ts';
import { berkeleyHashValues, isBerkeleyHash } from './rpm-bdb.ts';
import { headerToPackage, parseRpmHeader } from './rpm-header.ts';
import { isNdb, ndbBlobs } from './rpm-ndb.ts';
import { isSqlite, sqliteBlobs } from './rpm-sqlite.ts';
import type { FoundPackage, OsInfo, PackageAnalyzer } from './types.ts';

const databases = new Set(['/var/lib/rpm/Packages', '/var/lib/rpm/rpmdb.sqlite', '/var/lib/rpm/Packages.db', '/usr/lib/sysimage/rpm/rpmdb.sqlite', '/usr/lib/sysimage/rpm/Packages.db', '/usr/lib/sysimage/rpm/Packages']);

function blobs(b: Buffer): Iterable<Buffer> {
  if (isSqlite(b)) return sqliteBlobs(b);
  if (isNdb(b)) return ndbBlobs(b);
  if (isBerkeleyHash(b)) return berkeleyHashValues(b);
  throw new Error('not a SQLite, Berkeley DB or NDB package database');
}

export function readRpmDatabase(b: Buffer): FoundPackage[] {
  const out: FoundPackage[] = [];
  for (const blob of blobs(b)) {
    let header;
    try {
      header = parseRpmHeader(blob);
    } catch {
      continue; // bookkeeping records (Berkeley DB's record 0) are not headers
    }
    const p = headerToPackage(header);
    if (p) out.push(p);
  }
  return out;
}

/** purl namespaces as the purl type list writes RPM vendors. */
const vendor: Record<string, string> = { rhel: 'redhat', centos: 'centos', rocky: 'rocky', almalinux: 'almalinux', amzn: 'amazon', fedora: 'fedora', ol: 'oracle', opensuse: 'opensuse', 'opensuse-leap': 'opensuse', sles: 'suse' };

export const rpmAnalyzer: PackageAnalyzer = {
  name: 'rpm',
  manager: 'rpm',
  maxBytes: 256 * 1024 * 1024,
  matches: ({ path }) => databases.has(path),
  analyze: ({ content }) => readRpmDatabase(content),
  identify: (p, os: OsInfo) => {
    const version = p.epoch ? p.version.slice(p.version.indexOf(':') + 1) : p.version;
    return {
      purl: purl('rpm', os ? (vendor[os.id] ?? os.id) : undefined, p.name, version, { arch: p.arch, epoch: p.epoch ? String(p.epoch) : undefined, distro: purlDistro(os) }),
      ecosystem: osEcosystem(os),
    };
  },
};
