// Scores by the documented formula on a small hand-made estate where every number can be checked by hand.
import { describe, expect, it } from 'vitest';
import type { Asset } from '../../core/asset.ts';
import type { Finding } from '../../core/finding.ts';
import { limitToFramework, loadFrameworks, resolveFrameworks, type FrameworkFile } from '../../core/frameworks.ts';
import { computeScores, formatScore } from '../../core/scores.ts';
import type { CatalogRule } from '../../policies/catalog.ts';

const rule = (id: string, kind: CatalogRule['kind']): CatalogRule => ({
  id, kind, severity: 'high', frameworks: {}, unverified: [], remediation: 'fix it', package: id.toLowerCase().replace('-', '_'), title: id, description: id, file: `${id}.rego`,
});
const asset = (id: string, kind: Asset['kind'], provider: Asset['provider'], account: string) => ({ id, kind, provider, account }) as unknown as Asset;
const finding = (assetId: string, ruleId: string) => ({ assetId, ruleId, fingerprint: `${assetId}#${ruleId}`.padEnd(32, '0').slice(0, 32) }) as unknown as Finding;

const file = (over: Partial<FrameworkFile>): FrameworkFile & { file: string } => ({
  id: 'cis-eks-1.8', name: 'Test', version: '1', publisher: 'p', source: 's', scope: 's', mapping: 'verified', controls: [], file: 'x.yaml', ...over,
});
const frameworks = resolveFrameworks([
  file({
    controls: [
      { id: 'C1', title: 'cluster and workload control', rules: ['R-001', 'R-002'] },
      { id: 'C2', title: 'image control', rules: ['R-003'] },
      { id: 'C3', title: 'manual control', rules: [] },
      { id: 'C4', title: 'registry control nobody scanned', rules: ['R-004'] },
    ],
  }),
  file({ id: 'hipaa', crosswalk: 'cis-eks-1.8', mapping: 'unverified', controls: [{ id: 'H1', title: 'via C1', via: ['C1'] }, { id: 'H2', title: 'via nothing', via: ['C3'] }] }),
]);
const rules = [rule('R-001', ['cluster']), rule('R-002', ['workload']), rule('R-003', ['image']), rule('R-004', ['registry'])];
const assets = [
  asset('c1', 'cluster', 'aws', '111'), asset('c2', 'cluster', 'gcp', 'proj'), asset('w1', 'workload', 'aws', '111'),
  asset('w2', 'workload', 'aws', '222'), asset('i1', 'image', 'oci', 'reg.example'),
];
// c1 fails R-001; w1 fails R-002 twice (two paths: still one failing asset); i1 fails R-003.
const findings = [finding('c1', 'R-001'), finding('w1', 'R-002'), { ...finding('w1', 'R-002'), fingerprint: 'f'.repeat(32) }, finding('i1', 'R-003')];

describe('compliance scores', () => {
  const scores = computeScores({ assets, findings, rules }, frameworks);
  const eks = scores.all.frameworks.find((f) => f.id === 'cis-eks-1.8')!;
  const control = (id: string) => eks.controls.find((c) => c.id === id)!;

  it('score a control as passed ÷ assessed assets, an asset assessed when a rule judges its kind', () => {
    expect(control('C1')).toMatchObject({ assessed: 4, passed: 2, score: 0.5, failingAssets: ['c1', 'w1'] });
    expect(control('C2')).toMatchObject({ assessed: 1, passed: 0, score: 0 });
  });

  it('list manual controls without counting them, and leave unassessed controls out of the mean', () => {
    expect(control('C3')).toMatchObject({ manual: true, assessed: 0, score: null });
    expect(control('C4')).toMatchObject({ manual: false, assessed: 0, score: null });
    expect(eks.score).toBe(0.25); // mean of C1 (0.5) and C2 (0)
    expect(eks.counts).toEqual({ controls: 4, automated: 3, manual: 1, assessed: 2, fullyPassed: 0, notAssessed: 1 });
    expect(formatScore(eks.score)).toBe('25.0%');
  });

  it('score each cloud and each account on its own assets', () => {
    const byKey = (list: typeof scores.clouds, key: string) => list.find((s) => s.key === key)!.frameworks.find((f) => f.id === 'cis-eks-1.8')!;
    expect(byKey(scores.clouds, 'cloud:gcp').score).toBe(1);
    expect(byKey(scores.clouds, 'cloud:aws').controls.find((c) => c.id === 'C1')).toMatchObject({ assessed: 3, passed: 1 });
    expect(byKey(scores.accounts, 'account:aws:222').score).toBe(1);
    expect(byKey(scores.accounts, 'account:aws:111').score).toBe(0);
    expect(byKey(scores.clouds, 'cloud:oci').score).toBe(0);
    expect(scores.accounts.map((a) => a.label)).toEqual(['aws 111', 'aws 222', 'gcp proj', 'oci reg.example']);
  });

  it('score a crosswalk framework through the controls it names', () => {
    const hipaa = scores.all.frameworks.find((f) => f.id === 'hipaa')!;
    expect(hipaa.controls.find((c) => c.id === 'H1')).toMatchObject({ rules: ['R-001', 'R-002'], assessed: 4, passed: 2 });
    expect(hipaa.controls.find((c) => c.id === 'H2')).toMatchObject({ manual: true });
    expect(hipaa.score).toBe(0.5);
  });

  it('--framework limits the rules, findings and scores to one framework, and names unknown ids', () => {
    const real = loadFrameworks();
    const scan = { rules: [{ ...rule('EKS-001', ['cluster']) }, rule('IMG-001', ['image'])], findings: [finding('c1', 'EKS-001'), finding('i1', 'IMG-001')] };
    const limited = limitToFramework(scan, real, 'cis-eks-1.8');
    expect(limited.rules.map((r) => r.id)).toEqual(['EKS-001']);
    expect(limited.findings.map((f) => f.ruleId)).toEqual(['EKS-001']);
    expect(computeScores({ assets, ...limited }, real, 'cis-eks-1.8').all.frameworks.map((f) => f.id)).toEqual(['cis-eks-1.8']);
    expect(() => computeScores({ assets, findings, rules }, real, 'cis-k8s-9')).toThrow(/unknown framework "cis-k8s-9"; known: .*cis-eks-1\.8/);
  });
});
