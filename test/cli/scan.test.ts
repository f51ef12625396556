import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync, copyFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { makeSampleImage, sampleImageDir } from '../../scripts/make-sample-image.ts';
import { runCli } from './helpers.ts';

const samples = path.resolve('samples');
const tmp = () => mkdtempSync(path.join(tmpdir(), 'posture-cli-'));

interface JsonReport {
  summary: { assets: number; findings: number };
  assets: { id: string; provider: string; kind: string; jurisdiction: string }[];
  findings: { ruleId: string; assetId: string; provider: string; fingerprint: string; severity: string }[];
  errors: { source: string; message: string }[];
}

async function jsonScan(...args: string[]): Promise<{ code: number; report: JsonReport; stderr: string }> {
  const run = await runCli(['scan', '--format', 'json', ...args]);
  return { code: run.code, report: JSON.parse(run.stdout) as JsonReport, stderr: run.stderr };
}

describe('posture scan on the sample estate', () => {
  it('reads the whole demo estate and reports findings from all three clouds, Kubernetes manifests, the image and residency', async () => {
    await makeSampleImage(sampleImageDir);
    const { code, report } = await jsonScan(samples);
    expect(code).toBe(0);
    expect(report.errors).toEqual([]);
    expect(new Set(report.assets.map((a) => a.provider))).toEqual(new Set(['aws', 'azure', 'gcp', 'oci', 'kubernetes']));
    expect(new Set(report.findings.map((f) => f.provider))).toEqual(new Set(['aws', 'azure', 'gcp', 'oci', 'kubernetes']));
    const k8s = new Set(report.findings.filter((f) => f.provider === 'kubernetes').map((f) => `${f.ruleId} ${f.assetId}`));
    for (const planted of [
      'WKL-001 k8s://manifests/legacy/Pod/debug-shell',
      'RBAC-001 k8s://manifests/_cluster/ClusterRoleBinding/ci-deployer-admin',
      'NS-001 k8s://manifests/_cluster/Namespace/legacy',
      'NS-002 k8s://manifests/_cluster/Namespace/legacy',
    ]) {
      expect(k8s).toContain(planted);
    }
    const imageRules = new Set(report.findings.filter((f) => f.provider === 'oci').map((f) => f.ruleId));
    for (const id of ['IMG-001', 'IMG-002', 'IMG-005', 'IMG-006']) expect(imageRules).toContain(id);
    const residency = report.findings.filter((f) => f.ruleId === 'DR-002').map((f) => f.assetId);
    expect(residency).toContain('aws://444455556666/us-east-1/eks/cluster/analytics');
    expect(residency).not.toContain('aws://111122223333/eu-central-1/eks/cluster/platform');
  });

  it('gives the same fingerprints on every run and from any file location', async () => {
    const dir = tmp();
    copyFileSync(path.join(samples, 'aws/eks-cluster-analytics.json'), path.join(dir, 'renamed.json'));
    const first = await jsonScan(path.join(samples, 'aws/eks-cluster-analytics.json'));
    const second = await jsonScan(path.join(dir, 'renamed.json'));
    const fps = (r: JsonReport) => r.findings.map((f) => f.fingerprint).sort();
    expect(fps(first.report).length).toBeGreaterThan(0);
    expect(fps(second.report)).toEqual(fps(first.report));
  });

  it('keeps scanning valid files when others are malformed or of unknown shape, and says which and why', async () => {
    const dir = tmp();
    writeFileSync(path.join(dir, 'broken.json'), '{"cluster": {"name": "x",,}}');
    writeFileSync(path.join(dir, 'unknown.json'), JSON.stringify({ hello: 'world' }));
    copyFileSync(path.join(samples, 'aws/eks-cluster-analytics.json'), path.join(dir, 'eks.json'));
    const { code, report, stderr } = await jsonScan(dir, path.join(dir, 'missing.json'));
    expect(code).toBe(3);
    expect(report.assets.map((a) => a.id)).toEqual(['aws://444455556666/us-east-1/eks/cluster/analytics']);
    expect(report.findings.length).toBeGreaterThan(0);
    const bySource = Object.fromEntries(report.errors.map((e) => [path.basename(e.source), e.message]));
    expect(bySource['broken.json']).toMatch(/broken\.json: not valid JSON \(line 1, column \d+\)/);
    expect(bySource['unknown.json']).toMatch(/unknown\.json: unrecognised input shape\. Accepted: ECS task definition .*GKE cluster/);
    expect(bySource['missing.json']).toMatch(/no such file or directory/);
    expect(stderr).toContain('unknown.json');
  });

  it('explains a file that looks like a known shape but is not readable as one', async () => {
    const dir = tmp();
    writeFileSync(path.join(dir, 'td.json'), JSON.stringify({ taskDefinition: { containerDefinitions: [] } }));
    const { code, report } = await jsonScan(dir);
    expect(code).toBe(3);
    expect(report.errors[0]?.message).toMatch(/looks like ECS task definition but could not be read: .*taskDefinitionArn/s);
  });

  it('rejects a broken config by naming the key, and scans nothing', async () => {
    const dir = tmp();
    const config = path.join(dir, 'posture.yaml');
    writeFileSync(config, 'residency:\n  defaultClass: 42\nimage:\n  maxAgeDays: soon\n');
    const run = await runCli(['scan', '--config', config, samples]);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(/residency\.defaultClass: .*expected string/);
    expect(run.stderr).toMatch(/image\.maxAgeDays: .*expected number/);
  });

  it('applies the residency classes from the config file', async () => {
    const dir = tmp();
    const config = path.join(dir, 'posture.yaml');
    writeFileSync(config, 'residency:\n  allowed:\n    personal: ["EEA", "ADEQUATE", "US"]\n    restricted: ["EU"]\n');
    const { report } = await jsonScan('--config', config, path.join(samples, 'aws/eks-cluster-analytics.json'));
    expect(report.findings.filter((f) => f.ruleId === 'DR-002')).toEqual([]);
  });

  it('gates CI with --fail-on and documented exit codes', async () => {
    const target = path.join(samples, 'aws/eks-cluster-analytics.json');
    expect((await runCli(['scan', '--fail-on', 'high', '--format', 'json', target])).code).toBe(1);
    expect((await runCli(['scan', '--fail-on', 'bogus', target])).code).toBe(2);
    const compliant = path.join(samples, 'gcp/gke-cluster-search.json');
    const run = await runCli(['scan', '--fail-on', 'critical', '--format', 'json', compliant]);
    const criticals = (JSON.parse(run.stdout) as JsonReport).findings.filter((f) => f.severity === 'critical');
    expect(run.code).toBe(criticals.length ? 1 : 0);
  });

  it('writes SARIF with one result per finding and the fingerprint as partialFingerprint', async () => {
    const out = path.join(tmp(), 'report.sarif');
    const run = await runCli(['scan', '--format', 'sarif', '--output', out, path.join(samples, 'aws')]);
    expect(run.code).toBe(0);
    const sarif = JSON.parse(readFileSync(out, 'utf8')) as {
      version: string;
      runs: { tool: { driver: { rules: { id: string }[] } }; results: { ruleId: string; partialFingerprints: Record<string, string> }[] }[];
    };
    const json = await jsonScan(path.join(samples, 'aws'));
    expect(sarif.version).toBe('2.1.0');
    // Findings are results without a `kind` (fail); unjudged pairs come as kind open/review.
    const results = (sarif.runs[0]?.results ?? []).filter((r) => !(r as { kind?: string }).kind);
    expect(results.length).toBe(json.report.findings.length);
    const ruleIds = new Set(sarif.runs[0]?.tool.driver.rules.map((r) => r.id));
    for (const r of results) {
      expect(ruleIds.has(r.ruleId)).toBe(true);
      expect(r.partialFingerprints['posture/v1']).toMatch(/^[0-9a-f]{32}$/);
    }
  });

  it('runs as the installed `posture` binary with the same exit codes', async () => {
    const exec = promisify(execFile);
    const run = await exec('node', ['bin/posture.js', 'scan', '--format', 'json', path.join(samples, 'gcp')]);
    expect((JSON.parse(run.stdout) as JsonReport).assets).toHaveLength(2);
    await expect(exec('node', ['bin/posture.js', 'scan', '/nonexistent/path'])).rejects.toMatchObject({ code: 3 });
  });
});
