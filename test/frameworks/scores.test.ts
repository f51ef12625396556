// Scores by the documented formula on a small hand-made estate where every number can be checked by
// hand, and on the real sample estate through the real engine: a GKE-only estate says nothing about CIS EKS.
import { describe, expect, it } from 'vitest';
import type { Asset } from '../../core/asset.ts';
import type { Finding } from '../../core/finding.ts';
import { limitToFramework, loadFrameworks, resolveFrameworks, type FrameworkFile } from '../../core/frameworks.ts';
import type { AssetOutcomes } from '../../core/outcomes.ts';
import { computeScores, formatScore } from '../../core/scores.ts';
import type { CatalogRule } from '../../policies/catalog.ts';
import { complianceOf } from '../../cli/compliance.ts';
import { sampleScan } from '../report/support.ts';

const rule = (id: string, kind: CatalogRule['kind'], extra: Partial<CatalogRule> = {}): CatalogRule => ({
  id, kind, severity: 'high', frameworks: {}, unverified: [], remediation: 'fix it', package: id.toLowerCase().replace('-', '_'), title: id, description: id, file: `${id}.rego`,
  requires: [], preview: false, aliases: [], aliasScopes: {}, scopes: {}, ...extra,
});
const asset = (id: string, kind: Asset['kind'], provider: Asset['provider'], account: string, distribution?: string) =>
  ({ id, kind, provider, account, ...(distribution ? { cluster: { distribution } } : {}) }) as unknown as Asset;
const finding = (assetId: string, ruleId: string) => ({ assetId, ruleId, fingerprint: `${assetId}#${ruleId}`.padEnd(32, '0').slice(0, 32) }) as unknown as Finding;
/** Outcomes as the engine would record them: `applicable` rules, of which some failed or could not judge. */
const outcome = (assetId: string, applicable: string[], over: Partial<Omit<AssetOutcomes, 'assetId' | 'applicable'>> = {}): AssetOutcomes => ({
  assetId, applicable, failed: [], notEvaluated: [], manual: [], ...over,
});

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
      { id: 'C5', title: 'control whose only rule is in preview', rules: ['R-005'] },
    ],
  }),
  file({ id: 'hipaa', crosswalk: 'cis-eks-1.8', mapping: 'unverified', controls: [{ id: 'H1', title: 'via C1', via: ['C1'] }, { id: 'H2', title: 'via nothing', via: ['C3'] }] }),
]);
const rules = [rule('R-001', ['cluster']), rule('R-002', ['workload']), rule('R-003', ['image']), rule('R-004', ['registry']), rule('R-005', ['cluster'], { preview: true })];
const assets = [
  asset('c1', 'cluster', 'aws', '111', 'eks'), asset('c2', 'cluster', 'gcp', 'proj', 'gke'), asset('c3', 'cluster', 'aws', '111', 'eks'),
  asset('w1', 'workload', 'aws', '111'), asset('w2', 'workload', 'aws', '222'), asset('i1', 'image', 'oci', 'reg.example'),
];
// c1 fails R-001; c2 passes it; c3 could not be judged by R-001 (input missing) and so is neither passed nor failed.
// w1 fails R-002 twice (two paths: still one failing asset); w2 passes; i1 fails R-003. R-005 (preview) fails on c2.
const findings = [finding('c1', 'R-001'), finding('w1', 'R-002'), { ...finding('w1', 'R-002'), fingerprint: 'f'.repeat(32) }, finding('i1', 'R-003'), finding('c2', 'R-005')];
const outcomes = [
  outcome('c1', ['R-001', 'R-005'], { failed: ['R-001'], notEvaluated: [{ ruleId: 'R-005', reason: 'input-missing', detail: 'x' }] }),
  outcome('c2', ['R-001', 'R-005'], { failed: ['R-005'] }),
  outcome('c3', ['R-001', 'R-005'], { notEvaluated: [{ ruleId: 'R-001', reason: 'input-missing', detail: 'cluster.version was not collected' }, { ruleId: 'R-005', reason: 'input-missing', detail: 'x' }] }),
  outcome('w1', ['R-002'], { failed: ['R-002'] }),
  outcome('w2', ['R-002']),
  outcome('i1', ['R-003'], { failed: ['R-003'] }),
];

describe('compliance scores', () => {
  const scores = computeScores({ assets, findings, rules, outcomes }, frameworks);
  const eks = scores.all.frameworks.find((f) => f.id === 'cis-eks-1.8')!;
  const control = (id: string) => eks.controls.find((c) => c.id === id)!;

  it('score a control as passed ÷ (passed + failed) assets; a not-evaluated asset counts neither way', () => {
    expect(control('C1')).toMatchObject({ assessed: 4, passed: 2, score: 0.5, failingAssets: ['c1', 'w1'], notEvaluated: 1, notEvaluatedAssets: ['c3'], status: 'fail' });
    expect(control('C2')).toMatchObject({ assessed: 1, passed: 0, score: 0 });
  });

  it('list manual controls without counting them, leave unassessed and preview-only controls out of the mean', () => {
    expect(control('C3')).toMatchObject({ manual: true, assessed: 0, score: null, status: 'manual' });
    expect(control('C4')).toMatchObject({ manual: false, assessed: 0, score: null, status: 'not-assessed' });
    // R-005 failed on c2, but a preview rule is left out of scores: the control is not assessed.
    expect(control('C5')).toMatchObject({ rules: [], preview: ['R-005'], assessed: 0, score: null, status: 'not-assessed' });
    expect(eks.score).toBe(0.25); // mean of C1 (0.5) and C2 (0)
    expect(eks.counts).toEqual({ controls: 5, automated: 4, manual: 1, assessed: 2, fullyPassed: 0, notAssessed: 2 });
    expect(formatScore(eks.score)).toBe('25.0%');
  });

  it('score each cloud and each account on its own assets', () => {
    const byKey = (list: typeof scores.clouds, key: string) => list.find((s) => s.key === key)!.frameworks.find((f) => f.id === 'cis-eks-1.8')!;
    expect(byKey(scores.clouds, 'cloud:gcp').score).toBe(1);
    expect(byKey(scores.clouds, 'cloud:aws').controls.find((c) => c.id === 'C1')).toMatchObject({ assessed: 3, passed: 1, notEvaluated: 1 });
    expect(byKey(scores.accounts, 'account:aws:222').score).toBe(1);
    expect(byKey(scores.accounts, 'account:aws:111').score).toBe(0);
    expect(byKey(scores.clouds, 'cloud:oci').score).toBe(0);
    expect(scores.accounts.map((a) => a.label)).toEqual(['aws 111', 'aws 222', 'gcp proj', 'oci reg.example']);
  });

  it('an asset the rules apply to but could not judge is "not assessed", never passed', () => {
    const only = computeScores({ assets: [assets[2]!], findings: [], rules, outcomes: [outcomes[2]!] }, frameworks);
    const c1 = only.all.frameworks[0]!.controls.find((c) => c.id === 'C1')!;
    expect(c1).toMatchObject({ assessed: 0, passed: 0, notEvaluated: 1, score: null, status: 'not-assessed' });
    expect(only.all.frameworks[0]!.score).toBeNull();
  });

  it("count only the assets in a framework's scope: a GKE cluster never evidences a CIS EKS control", () => {
    const scoped = resolveFrameworks([file({ assets: [{ kind: ['cluster'], distribution: ['eks'] }], controls: [{ id: 'C1', title: 'cluster control', rules: ['R-001'] }] })]);
    const gkeOnly = computeScores({ assets: [assets[1]!], findings: [], rules, outcomes: [outcomes[1]!] }, scoped);
    expect(gkeOnly.all.frameworks[0]).toMatchObject({ score: null, assetsInScope: 0 });
    expect(gkeOnly.all.frameworks[0]!.controls[0]).toMatchObject({ assessed: 0, status: 'not-assessed' });
  });

  it('score a crosswalk framework through the controls it names', () => {
    const hipaa = scores.all.frameworks.find((f) => f.id === 'hipaa')!;
    expect(hipaa.controls.find((c) => c.id === 'H1')).toMatchObject({ rules: ['R-001', 'R-002'], assessed: 4, passed: 2 });
    expect(hipaa.controls.find((c) => c.id === 'H2')).toMatchObject({ manual: true });
    expect(hipaa.score).toBe(0.5);
  });

  it('--framework limits the rules, findings, outcomes and scores to one framework, and names unknown ids', () => {
    const real = loadFrameworks();
    const scan = {
      rules: [rule('CLU-001', ['cluster']), rule('IMG-001', ['image'])],
      findings: [finding('c1', 'CLU-001'), finding('i1', 'IMG-001')],
      outcomes: [outcome('c1', ['CLU-001'], { failed: ['CLU-001'] }), outcome('i1', ['IMG-001'], { failed: ['IMG-001'] })],
    };
    const limited = limitToFramework(scan, real, 'cis-eks-1.8');
    expect(limited.rules.map((r) => r.id)).toEqual(['CLU-001']);
    expect(limited.findings.map((f) => f.ruleId)).toEqual(['CLU-001']);
    expect(limited.outcomes.map((o) => o.applicable)).toEqual([['CLU-001'], []]);
    expect(computeScores({ assets, ...limited }, real, 'cis-eks-1.8').all.frameworks.map((f) => f.id)).toEqual(['cis-eks-1.8']);
    expect(() => computeScores({ assets, findings, rules, outcomes }, real, 'cis-k8s-9')).toThrow(/unknown framework "cis-k8s-9"; known: .*cis-eks-1\.8/);
  });
});

describe('scores of the sample estate through the real engine', () => {
  it('a GKE-only estate is "not assessed" on CIS EKS (no control passed), and assessed on CIS GKE', async () => {
    const { extras } = complianceOf(await sampleScan(['gcp']));
    const eks = extras.scores.all.frameworks.find((f) => f.id === 'cis-eks-1.8')!;
    expect(eks.score).toBeNull();
    expect(eks.assetsInScope).toBe(0);
    expect(eks.counts.assessed).toBe(0);
    expect(eks.controls.filter((c) => c.passed > 0 || c.status === 'pass')).toEqual([]);
    const gke = extras.scores.all.frameworks.find((f) => f.id === 'cis-gke-1.9')!;
    expect(gke.assetsInScope).toBe(2);
    expect(gke.counts.assessed).toBeGreaterThan(0);
  });

  it('--framework cis-eks-1.8 on a GKE-only estate lists no finding and judges nothing: every pair is not applicable', async () => {
    const scanned = await sampleScan(['gcp']);
    // The GKE clusters do fail cross-cloud rules that CIS EKS maps (on EKS clusters): those stay out.
    expect(scanned.findings.some((f) => f.ruleId.startsWith('CLU-'))).toBe(true);
    const { result } = complianceOf(scanned, { framework: 'cis-eks-1.8' });
    expect(result.findings).toEqual([]);
    expect(result.rules.length).toBeGreaterThan(0);
    for (const o of result.outcomes) expect(o).toMatchObject({ applicable: [], failed: [], notEvaluated: [], manual: [] });
    // CIS GKE, on the same estate, keeps them.
    expect(complianceOf(scanned, { framework: 'cis-gke-1.9' }).result.findings.filter((f) => f.ruleId.startsWith('CLU-')).length).toBeGreaterThan(0);
  });

  it('an AWS-only estate is not assessed on CIS AKS and CIS GKE', async () => {
    const { extras } = complianceOf(await sampleScan(['aws']));
    for (const id of ['cis-aks-1.8', 'cis-gke-1.9']) expect(extras.scores.all.frameworks.find((f) => f.id === id)).toMatchObject({ score: null, assetsInScope: 0 });
    expect(extras.scores.all.frameworks.find((f) => f.id === 'cis-eks-1.8')!.score).not.toBeNull();
  });
});
