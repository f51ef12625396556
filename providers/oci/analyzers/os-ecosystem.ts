// The OSV ecosystem of an image's OS packages, from /etc/os-release. OSV names a distribution release
// its own way per distribution (`Debian:12`, `Alpine:v3.20`, `Ubuntu:22.04:LTS`, `Rocky Linux:9`,
// `AlmaLinux:9`, ...); see docs/inventory.md. Null means OSV publishes no data for it (Amazon Linux,
// CentOS, Oracle Linux) or the release is unknown, so matching reports the packages as not evaluated.
import type { OsInfo } from './types.ts';

const major = (v: string): string => v.split('.')[0]!;

export function osEcosystem(os: OsInfo): string | null {
  if (!os) return null;
  const v = os.versionId;
  switch (os.id) {
    case 'debian':
      return v ? `Debian:${major(v)}` : null;
    case 'ubuntu': {
      if (!v) return null;
      // LTS releases are the April releases of even years (22.04, 24.04).
      const m = /^(\d+)\.(\d+)/.exec(v);
      const lts = m && Number(m[1]) % 2 === 0 && m[2] === '04';
      return `Ubuntu:${v}${lts ? ':LTS' : ''}`;
    }
    case 'alpine': {
      const m = v ? /^(\d+)\.(\d+)/.exec(v) : null;
      return m ? `Alpine:v${m[1]}.${m[2]}` : null;
    }
    case 'rocky':
      return v ? `Rocky Linux:${major(v)}` : null;
    case 'almalinux':
      return v ? `AlmaLinux:${major(v)}` : null;
    case 'rhel':
      return 'Red Hat';
    case 'mageia':
      return v ? `Mageia:${major(v)}` : null;
    case 'wolfi':
      return 'Wolfi';
    case 'chainguard':
      return 'Chainguard';
    default:
      return null;
  }
}

/** The purl `distro` qualifier: `<id>-<version>` as purl examples write it (`debian-12`, `alpine-3.20.3`). */
export function purlDistro(os: OsInfo): string | undefined {
  if (!os) return undefined;
  return os.versionId ? `${os.id}-${os.versionId}` : os.id;
}
