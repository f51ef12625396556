// Debian probes for bench:vulns. The OSV data this machine has holds two Debian records and neither
// matches the bench image, so Debian matching would be "compared" on zero matches. These constructed
// records (ids PROBE-DEB-*, not advisories) are written next to the real ones, built around the versions
// the image's dpkg status really has, so that each one puts a rule of Debian matching to the test:
// source-package keying, unfixed records, the release, epochs, binNMUs, tilde, a binary whose version is a
// bundled component's. The expected verdict for each installed binary follows Debian's rules: the record's
// versions are source versions (a fix is a source upload), ordered as `dpkg --compare-versions` orders them.
import { execFileSync } from 'node:child_process';
import { parseDpkgStatus } from '../../providers/oci/analyzers/dpkg.ts';

interface Installed {
  name: string;
  version: string;
  source: { name: string; version: string };
}

type OsvEvent = { introduced: string } | { fixed: string } | { last_affected: string };

export interface DebianProbe {
  id: string;
  /** What the probe checks, in a few words. */
  checks: string;
  release: string;
  source: string;
  events: OsvEvent[];
}

function dpkgCompare(a: string, op: 'lt' | 'le' | 'ge', b: string): boolean {
  try {
    execFileSync('dpkg', ['--compare-versions', a, op, b]);
    return true;
  } catch {
    return false;
  }
}

/** One ECOSYSTEM range (introduced, then fixed or last_affected) judged on a version, by dpkg's ordering. */
function inRange(version: string, events: OsvEvent[]): boolean {
  let affected = false;
  for (const e of events) {
    if ('introduced' in e) affected = e.introduced === '0' || dpkgCompare(version, 'ge', e.introduced);
    else if ('fixed' in e) affected &&= dpkgCompare(version, 'lt', e.fixed);
    else affected &&= dpkgCompare(version, 'le', e.last_affected);
  }
  return affected;
}

/** The probes for this dpkg status; a probe whose package the image lacks is left out. */
export function debianProbes(status: string): { probes: DebianProbe[]; installed: Installed[] } {
  const installed = parseDpkgStatus(status, true).map((p) => ({ name: p.name, version: p.version, source: p.source! }));
  const src = (name: string) => installed.find((p) => p.source.name === name)?.source.version;
  const probes: DebianProbe[] = [];
  const add = (id: string, checks: string, source: string, events: (v: string) => OsvEvent[], release = 'Debian:12') => {
    const v = src(source);
    if (v) probes.push({ id, checks, release, source, events: events(v) });
  };
  add('PROBE-DEB-1', 'unfixed record on the source package: every binary built from it', 'glibc', () => [{ introduced: '0' }]);
  add('PROBE-DEB-2', 'same record for Debian:11 only: not this release', 'glibc', () => [{ introduced: '0' }], 'Debian:11');
  add('PROBE-DEB-3', 'fixed just after the source version; bsdutils carries an epoch (1:) its source does not', 'util-linux', (v) => [{ introduced: '0' }, { fixed: `${v}+probe1` }]);
  add('PROBE-DEB-4', 'last_affected = the source version; the binaries are binNMU rebuilds (+bN)', 'bash', (v) => [{ introduced: '0' }, { last_affected: v }]);
  add('PROBE-DEB-5', 'fixed with no epoch, source version has epoch 1: fixed already', 'libcap2', (v) => [{ introduced: '0' }, { fixed: v.replace(/^\d+:/, '') }]);
  add('PROBE-DEB-6', 'fixed = source version with ~1 appended, which sorts before it: fixed already', 'openssl', (v) => [{ introduced: '0' }, { fixed: `${v}~1` }]);
  add('PROBE-DEB-7', 'last_affected 4, source 6.0.0+…; binaries carry bundled components\' versions (3.0.4~6.0.0…)', 'node-file-entry-cache', () => [{ introduced: '0' }, { last_affected: '4' }]);
  return { probes, installed };
}

export function probeRecord(p: DebianProbe): { id: string; [field: string]: unknown } {
  return {
    schema_version: '1.6.0',
    id: p.id,
    modified: '2026-11-26T00:00:00Z',
    summary: `constructed bench probe: ${p.checks}`,
    affected: [{ package: { ecosystem: p.release, name: p.source }, ranges: [{ type: 'ECOSYSTEM', events: p.events }] }],
  };
}

/** The installed binaries each probe should match, judged on the source version by dpkg. */
export function expectedProbeMatches(p: DebianProbe, installed: Installed[], imageRelease: string): string[] {
  if (p.release !== imageRelease) return [];
  return installed.filter((i) => i.source.name === p.source && inRange(i.source.version, p.events)).map((i) => `${i.name}@${i.version}`).sort();
}

/** Probe verdicts side by side: for each probe, the binaries of its source, expected and per tool. */
export function probeTable(probes: DebianProbe[], installed: Installed[], imageRelease: string, tools: { label: string; matches: Set<string> }[]): string[] {
  const lines = [`| probe | checks | source (version) | binaries | expected | ${tools.map((t) => t.label).join(' | ')} |`, `|---|---|---|---|---|${tools.map(() => '---|').join('')}`];
  const notes: string[] = [];
  for (const p of probes) {
    const binaries = installed.filter((i) => i.source.name === p.source);
    const expected = expectedProbeMatches(p, installed, imageRelease);
    const per = tools.map((t) => binaries.map((b) => `${b.name}@${b.version}`).filter((k) => t.matches.has(`${k} ${p.id}`)).sort());
    lines.push(`| ${p.id} | ${p.checks} | ${p.source} (${binaries[0]?.source.version}) | ${binaries.length} | ${expected.length} | ${per.map((m) => `${m.length}${m.join() === expected.join() ? '' : ' ✗'}`).join(' | ')} |`);
    per.forEach((m, i) => {
      const missed = expected.filter((k) => !m.includes(k));
      const extra = m.filter((k) => !expected.includes(k));
      if (missed.length) notes.push(`  ${p.id} ${tools[i]!.label} misses ${missed.join(', ')}`);
      if (extra.length) notes.push(`  ${p.id} ${tools[i]!.label} wrongly matches ${extra.join(', ')}`);
    });
  }
  return [...lines, ...(notes.length ? ['', ...notes] : [])];
}
