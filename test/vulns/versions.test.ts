// Version comparators against the comparison vectors each ecosystem's reference implementation publishes
// (dpkg, rpm, apk-tools, pypa/packaging, Maven, RubyGems; the files in vectors/ name their source).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { compareAlpine } from '../../vulns/versions/apk.ts';
import { compareDebian } from '../../vulns/versions/dpkg.ts';
import { compareMaven } from '../../vulns/versions/maven.ts';
import { comparePep440 } from '../../vulns/versions/pep440.ts';
import { compareRpm } from '../../vulns/versions/rpm.ts';
import { compareRubyGems } from '../../vulns/versions/rubygems.ts';
import { compareSemver } from '../../vulns/versions/semver.ts';
import { comparatorFor, type Compare } from '../../vulns/versions/index.ts';

function vectors(file: string): [string, number, string][] {
  return readFileSync(new URL(`vectors/${file}`, import.meta.url), 'utf8')
    .split('\n')
    .filter((l) => l.trim() && !l.startsWith('#'))
    .map((l) => {
      const [a, op, b] = l.trim().split(/\s+/);
      return [a!, op === '<' ? -1 : op === '>' ? 1 : 0, b!];
    });
}

const suites: [string, string, Compare][] = [
  ['dpkg', 'dpkg.txt', compareDebian],
  ['rpm', 'rpm.txt', compareRpm],
  ['apk', 'apk.txt', compareAlpine],
  ['PEP 440', 'pep440.txt', comparePep440],
  ['Maven', 'maven.txt', compareMaven],
  ['RubyGems', 'rubygems.txt', compareRubyGems],
];

describe.each(suites)('%s comparison vectors', (_name, file, compare) => {
  const cases = vectors(file);
  it('has at least 30 published pairs', () => expect(cases.length).toBeGreaterThanOrEqual(30));
  it.each(cases)('%s %i %s', (a, expected, b) => {
    expect(compare(a, b)).toBe(expected);
    expect(compare(b, a)).toBe(-expected || 0);
  });
});

describe('SemVer (npm, Go)', () => {
  // Ordering examples from the SemVer 2.0.0 specification, section 11.
  const chain = ['1.0.0-alpha', '1.0.0-alpha.1', '1.0.0-alpha.beta', '1.0.0-beta', '1.0.0-beta.2', '1.0.0-beta.11', '1.0.0-rc.1', '1.0.0', '2.0.0', '2.1.0', '2.1.1'];
  it.each(chain.slice(1).map((b, i) => [chain[i]!, b]))('%s < %s', (a, b) => {
    expect(compareSemver(a, b)).toBe(-1);
    expect(compareSemver(b, a)).toBe(1);
  });
  it('reads Go module versions with their v prefix and ignores build metadata', () => {
    expect(compareSemver('v0.3.7', '0.3.8')).toBe(-1);
    expect(compareSemver('v2.0.0+incompatible', '2.0.0')).toBe(0);
  });
});

describe('ecosystem dispatch', () => {
  it('compares a release-qualified ecosystem by its base rules', () => {
    expect(comparatorFor('Debian:12')?.('1:2.0-1', '2.5-1')).toBe(1);
    expect(comparatorFor('Alpine:v3.20')?.('1.2.3-r1', '1.2.3-r10')).toBe(-1);
    expect(comparatorFor('Rocky Linux:9')?.('1:1.0-1.el9', '2.0-1.el9')).toBe(1);
  });
  it('has no comparator for an ecosystem it does not know', () => expect(comparatorFor('Bitnami')).toBeNull());
  it('rejects what is not a version of that ecosystem', () => {
    expect(() => compareSemver('not-a-version', '1.0.0')).toThrow(RangeError);
    expect(() => comparePep440('1.0', 'banana split')).toThrow(RangeError);
  });
});
