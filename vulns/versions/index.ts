// One version comparator per OSV ecosystem, chosen by the ecosystem's base name (the part before the
// first `:`; `Debian:12` and `Debian:11` compare alike but are matched separately, see vulns/match.ts).
import { compareAlpine } from './apk.ts';
import { compareDebian } from './dpkg.ts';
import { compareMaven } from './maven.ts';
import { comparePep440 } from './pep440.ts';
import { compareRpm } from './rpm.ts';
import { compareRubyGems } from './rubygems.ts';
import { compareSemver } from './semver.ts';

/** -1, 0 or 1; throws RangeError when a version is not valid in that ecosystem. */
export type Compare = (a: string, b: string) => number;

const byBase: Record<string, Compare> = {
  Debian: compareDebian,
  Ubuntu: compareDebian,
  Alpine: compareAlpine,
  Wolfi: compareAlpine,
  Chainguard: compareAlpine,
  'Red Hat': compareRpm,
  'Rocky Linux': compareRpm,
  AlmaLinux: compareRpm,
  'Amazon Linux': compareRpm,
  openSUSE: compareRpm,
  SUSE: compareRpm,
  Mageia: compareRpm,
  npm: compareSemver,
  Go: compareSemver,
  'crates.io': compareSemver,
  Hex: compareSemver,
  Pub: compareSemver,
  NuGet: compareSemver,
  PyPI: comparePep440,
  Maven: compareMaven,
  RubyGems: compareRubyGems,
};

export const baseEcosystem = (ecosystem: string) => ecosystem.split(':')[0]!;

/** The comparator for an OSV ecosystem, or null when we have none (then only explicit `versions` lists match). */
export function comparatorFor(ecosystem: string): Compare | null {
  return byBase[baseEcosystem(ecosystem)] ?? null;
}

export const supportedEcosystems = Object.keys(byBase);
