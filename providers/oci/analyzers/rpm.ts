// RPM packages from whichever database the image has: SQLite (rpmdb.sqlite), Berkeley DB (Packages) or
// NDB (Packages.db), in /var/lib/rpm or /usr/lib/sysimage/rpm. The format is told by the file's magic,
// not its name. Each header gives name, epoch, version, release, arch and the source RPM.
import { osEcosystem, purlDistro } from './os-ecosystem.ts';
import { purl } from './purl.ts';
import { berkeleyHashValues, isBerkeleyHash } from './rpm-bdb.ts';
import type { ByteSource } from './byte-source.ts';
import { headerToPackage, parseRpmHeader, type RpmBlob } from './rpm-header.ts';
import { isNdb, ndbBlobs } from './rpm-ndb.ts';
import { isSqlite, sqliteBlobs } from './rpm-sqlite.ts';
import type { FoundPackage, OsInfo, PackageAnalyzer } from './types.ts';

const databases = new Set(['/var/lib/rpm/Packages', '/var/lib/rpm/rpmdb.sqlite', '/var/lib/rpm/Packages.db', '/usr/lib/sysimage/rpm/rpmdb.sqlite', '/usr/lib/sysimage/rpm/Packages.db', '/usr/lib/sysimage/rpm/Packages']);

/**
 * rpm's own cap on a header is 64 Ki index entries and 256 MiB of data; real headers are a small fraction of
 * that, and one is held in memory at a time, so a larger one is named and skipped instead of read.
 */
export const maxHeaderBytes = 16 * 1024 * 1024;

function blobs(src: ByteSource): Iterable<RpmBlob> {
  const head = src.read(0, 512);
  if (isSqlite(head)) return sqliteBlobs(src, maxHeaderBytes);
  if (isNdb(head)) return ndbBlobs(src, maxHeaderBytes);
  if (isBerkeleyHash(head)) return berkeleyHashValues(src, maxHeaderBytes);
  throw new Error('not a SQLite, Berkeley DB or NDB package database');
}

/** The packages of a database; `tooLarge` hears of each header over the cap (the rest are still read). */
export function readRpmDatabase(src: ByteSource, tooLarge: (bytes: number, id: number) => void = () => {}): FoundPackage[] {
  const out: FoundPackage[] = [];
  for (const blob of blobs(src)) {
    if (!Buffer.isBuffer(blob)) {
      tooLarge(blob.oversized, blob.id);
      continue;
    }
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
  maxBytes: Number.MAX_SAFE_INTEGER,
  matches: ({ path }) => databases.has(path),
  read: ({ path, source }, errors) =>
    readRpmDatabase(source, (bytes, id) => errors.add('package-file-invalid', `${path}: the header of record ${id} is ${bytes} bytes, over the ${maxHeaderBytes}-byte limit; that package is not listed`)),
  identify: (p, os: OsInfo) => {
    const version = p.epoch ? p.version.slice(p.version.indexOf(':') + 1) : p.version;
    return {
      purl: purl('rpm', os ? (vendor[os.id] ?? os.id) : undefined, p.name, version, { arch: p.arch, epoch: p.epoch ? String(p.epoch) : undefined, distro: purlDistro(os) }),
      ecosystem: osEcosystem(os),
    };
  },
};
