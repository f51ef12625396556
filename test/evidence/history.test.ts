// Scan history through the CLI: two scans of a changing estate → `posture diff` shows the change and
// the findings it opened and closed; `posture evidence` exports a bundle; `verify` catches any edit.
import { cpSync, mkdtempSync, readFileSync, readdirSync, writeFileSync, appendFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../cli/helpers.ts';
import { closePublicEndpoint, openEndpointToInternetAndCutAuditLogs } from './support/eks-edits.ts';
import { frameworkIds } from '../../policies/catalog.ts';

const work = mkdtempSync(path.join(tmpdir(), 'posture-history-'));
const history = path.join(work, 'history');
const estate = path.join(work, 'estate');
const clusterFile = path.join(estate, 'eks-cluster-platform.json');
const today = new Date().toISOString().slice(0, 10);

async function scan(...extra: string[]) {
  const run = await runCli(['scan', estate, '--format', 'json', '--history-dir', history, ...extra]);
  expect(run.stderr).not.toMatch(/warning/);
  return run;
}

beforeAll(async () => {
  cpSync(path.resolve('samples/aws'), estate, { recursive: true });
  await scan();
  // Someone opens the platform cluster's API endpoint to the internet and turns audit logs off.
  openEndpointToInternetAndCutAuditLogs(clusterFile);
  // …and fixes the analytics cluster's endpoint.
  closePublicEndpoint(path.join(estate, 'eks-cluster-analytics.json'));
  await scan();
}, 120_000);

describe('posture diff', () => {
  it('shows per asset what changed in configuration and which findings opened and closed', async () => {
    const run = await runCli(['diff', '--history-dir', history]);
    expect(run.code).toBe(0);
    const platform = 'aws://111122223333/eu-central-1/eks/cluster/platform';
    expect(run.stdout).toContain(`CHANGED  ${platform}`);
    expect(run.stdout).toContain('~ cluster/endpoint/public: false → true');
    expect(run.stdout).toContain('~ cluster/auditLogging: true → false');
    expect(run.stdout).toMatch(/\+ opened CLU-001 \[high\]/);
    expect(run.stdout).toMatch(/\+ opened CLU-004 \[high\]/);
    expect(run.stdout).toMatch(/- closed CLU-001 \[high\]/); // analytics fixed its endpoint
    const json = JSON.parse((await runCli(['diff', '--history-dir', history, '--format', 'json', '--from', '1', '--to', '2'])).stdout) as {
      assets: { assetId: string; status: string; opened: { ruleId: string }[] }[];
      totals: { changed: number };
    };
    expect(json.totals.changed).toBe(2);
    expect(json.assets.find((a) => a.assetId === platform)!.opened.map((f) => f.ruleId)).toEqual(expect.arrayContaining(['CLU-001', 'CLU-002', 'CLU-004']));
  });

  it('says clearly when there is nothing to compare', async () => {
    const empty = await runCli(['diff', '--history-dir', path.join(work, 'nothing')]);
    expect(empty.code).toBe(2);
    expect(empty.stderr).toMatch(/no scans recorded in .*nothing yet/);
    expect((await runCli(['diff', '--history-dir', history, '--from', '99'])).stderr).toMatch(/no scan "99"/);
  });
});

describe('posture evidence', () => {
  const bundle = (name: string) => path.join(work, name);

  it('writes a bundle whose manifest covers every file, and verifies it', async () => {
    const run = await runCli(['evidence', '--from', today, '--to', today, '--out', bundle('b1'), '--history-dir', history]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/2 scans \(1\.\.2\)/);
    const files = readdirSync(bundle('b1'), { recursive: true }).map(String).sort();
    expect(files).toEqual(expect.arrayContaining(['manifest.json', 'findings.json', 'exceptions.json', 'scores.json', 'policy.json', 'scans']));
    const findings = JSON.parse(readFileSync(path.join(bundle('b1'), 'findings.json'), 'utf8')) as { findings: { ruleId: string; assetId: string; history: { event: string }[]; openAtEnd: boolean }[] };
    const closed = findings.findings.find((f) => f.ruleId === 'CLU-001' && f.assetId.endsWith('/analytics'))!;
    expect(closed.history.map((h) => h.event)).toEqual(['opened', 'closed']);
    expect(closed.openAtEnd).toBe(false);
    const policy = JSON.parse(readFileSync(path.join(bundle('b1'), 'policy.json'), 'utf8')) as { bundles: { bundleDigest: string; version: string }[]; frameworks: unknown[] };
    expect(policy.bundles[0]!.bundleDigest).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(policy.bundles[0]!.version).toMatch(/^posture \d/);
    expect(policy.frameworks).toHaveLength(frameworkIds.length);
    const ok = await runCli(['evidence', 'verify', bundle('b1'), '--history-dir', history]);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(/^ok: /);
  });

  it('verify fails, naming the file, when one byte of a scan snapshot or a derived file changes', async () => {
    for (const [name, pick] of [
      ['b2', (dir: string) => path.join(dir, 'scans', readdirSync(path.join(dir, 'scans'))[0]!)],
      ['b3', (dir: string) => path.join(dir, 'findings.json')],
    ] as const) {
      await runCli(['evidence', '--from', today, '--to', today, '--out', bundle(name), '--history-dir', history]);
      const file = pick(bundle(name));
      const bytes = readFileSync(file);
      const at = Math.floor(bytes.length / 2);
      bytes[at] = bytes[at]! ^ 0x01;
      writeFileSync(file, bytes);
      const bad = await runCli(['evidence', 'verify', bundle(name)]);
      expect(bad.code).toBe(1);
      expect(bad.stderr).toContain(`${path.relative(bundle(name), file)}: SHA-256 differs from the manifest`);
    }
  });

  it('verify flags an added file and a bundle rewritten wholesale (head no longer matches the history)', async () => {
    await runCli(['evidence', '--from', today, '--to', today, '--out', bundle('b4'), '--history-dir', history]);
    writeFileSync(path.join(bundle('b4'), 'note.txt'), 'added later');
    expect((await runCli(['evidence', 'verify', bundle('b4')])).stderr).toContain('note.txt: not listed in the manifest');

    // A forger edits a snapshot and recomputes its digest and chain in the manifest: self-consistent…
    await runCli(['evidence', '--from', today, '--to', today, '--out', bundle('b5'), '--history-dir', history]);
    const manifestFile = path.join(bundle('b5'), 'manifest.json');
    const manifest = JSON.parse(readFileSync(manifestFile, 'utf8')) as { scans: { file: string; sha256: string; prev: string; chain: string }[]; head: { chain: string }; anchor: { chain: string } };
    const { createHash } = await import('node:crypto');
    const sha = (t: string | Buffer) => createHash('sha256').update(t).digest('hex');
    const first = path.join(bundle('b5'), manifest.scans[0]!.file);
    const original = readFileSync(first, 'utf8');
    writeFileSync(first, original.replace('"severity":"high"', '"severity":"low"'));
    expect(readFileSync(first, 'utf8')).not.toBe(original);
    let prev = manifest.anchor.chain;
    for (const s of manifest.scans) {
      s.sha256 = sha(readFileSync(path.join(bundle('b5'), s.file)));
      s.prev = prev;
      s.chain = sha(`${prev}:${s.sha256}`);
      prev = s.chain;
    }
    manifest.head.chain = prev;
    writeFileSync(manifestFile, JSON.stringify(manifest));
    expect((await runCli(['evidence', 'verify', bundle('b5')])).code).toBe(0);
    // …but not against the scan history it claims to come from.
    const vs = await runCli(['evidence', 'verify', bundle('b5'), '--history-dir', history]);
    expect(vs.code).toBe(1);
    expect(vs.stderr).toContain('head chain differs');
  });

  it('refuses to export from a tampered history, a non-empty directory, or an empty period', async () => {
    expect((await runCli(['evidence', '--from', '2001-01-01', '--to', '2001-01-02', '--out', bundle('b6'), '--history-dir', history])).stderr).toMatch(/no scans recorded in .* between/);
    expect((await runCli(['evidence', '--from', today, '--to', today, '--out', bundle('b1'), '--history-dir', history])).stderr).toMatch(/is not empty/);
    expect((await runCli(['evidence', '--from', 'yesterday', '--to', today, '--out', bundle('b7')])).stderr).toMatch(/"yesterday" is not a date/);
    const scans = path.join(history, 'scans');
    appendFileSync(path.join(scans, readdirSync(scans)[0]!), ' ');
    const run = await runCli(['evidence', '--from', today, '--to', today, '--out', bundle('b8'), '--history-dir', history]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/snapshot scans\/000001-.*\.json does not match its chain digest/);
  });
});
