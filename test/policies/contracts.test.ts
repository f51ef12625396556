// The policy build's input-contract gate, shown on fixture rules added to a copy of the real policy
// tree and checked against the assets the real AWS normalizers produce from their fixtures; and the
// outcomes (pass, fail, not applicable, not evaluated, manual) of such rules through the real engine.
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseAsset, type Asset } from '../../core/asset.ts';
import { parseConfig } from '../../core/config.ts';
import { fingerprintOf } from '../../core/finding.ts';
import { inputGap, outcomeOf } from '../../core/outcomes.ts';
import { inputReads, librariesOf, readsOfFile } from '../../policies/contracts/gate.ts';
import { contractFixtures } from '../../policies/contracts/fixtures.ts';
import { Engine } from '../../policies/engine.ts';
import { opaBinary, policiesDir } from '../../policies/layout.ts';
import { buildPolicies, PolicyBuildError } from '../../scripts/build-policies.ts';
import { collectLocal } from '../../providers/local/collect.ts';

// The real fixtures of every provider, each made once for the whole file (the builds below reuse them).
const memo = new Map<string, Promise<Asset[]>>();
const fixtures = contractFixtures.map((f) => ({
  provider: f.provider,
  assets: () => {
    if (!memo.has(f.provider)) memo.set(f.provider, f.assets());
    return memo.get(f.provider)!;
  },
}));

function policyCopy(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'posture-contract-'));
  for (const part of ['main.rego', 'lib', 'rules', 'data', 'frameworks']) cpSync(path.join(policiesDir, part), path.join(dir, part), { recursive: true });
  return dir;
}

/** A fixture rule: METADATA lines under `custom` plus a body. */
function writeRule(dir: string, id: string, custom: string, body: string): void {
  const pkg = id.toLowerCase().replace('-', '_');
  const text = `# METADATA
# title: Fixture rule ${id}
# description: A rule written by the contract test.
# custom:
#   id: ${id}
#   severity: low
${custom
  .trim()
  .split('\n')
  .map((l) => `#   ${l}`)
  .join('\n')}
#   frameworks: {}
#   remediation: none
package posture.rules.${pkg}

import rego.v1

${body.trim()}
`;
  writeFileSync(path.join(dir, 'rules', `${pkg}_fixture.rego`), text);
}

/** Names a package in one of main.rego's lists of packages with manual / not_applicable entries. */
function nameInMain(dir: string, list: 'manual_rules' | 'excluding_rules', pkg: string): void {
  const file = path.join(dir, 'main.rego');
  const text = readFileSync(file, 'utf8');
  const named = text.replace(new RegExp(`^${list} := (set\\(\\)|\\{)`, 'm'), (_, open: string) => `${list} := {"${pkg}"${open === '{' ? ', ' : '}'}`);
  if (named === text) throw new Error(`${list} not found in main.rego`);
  writeFileSync(file, named);
}

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** A Rego file of the test's own, in a fresh temporary directory removed after the tests; returns its path. */
function scratchRego(name: string, text: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'posture-reads-'));
  dirs.push(dir);
  const file = path.join(dir, name);
  writeFileSync(file, text);
  return file;
}

describe('input-contract gate of the policy build', () => {
  it('fails the build on a rule that requires a field no normalizer produces a value for, naming rule, field and fixtures', async () => {
    const dir = policyCopy();
    dirs.push(dir);
    // Node pools' boot-disk encryption: no normalizer produces it.
    writeRule(dir, 'TST-901', 'kind: [cluster]\napplies:\n  provider: [aws]\n  distribution: [eks]\nrequires: [cluster.nodePools.bootDiskEncrypted]', `
violation contains {"msg": "plain boot disk", "path": sprintf("nodePools/%s/bootDiskEncrypted", [pool.name]), "evidence": false} if {
	some pool in input.cluster.nodePools
	pool.bootDiskEncrypted == false
}`);
    const build = buildPolicies({ force: true, policies: dir, dist: path.join(dir, 'dist'), fixtures, note: () => {} });
    await expect(build).rejects.toThrow(PolicyBuildError);
    await expect(build).rejects.toThrow(/TST-901 \(.*tst_901_fixture\.rego\): it requires cluster\.nodePools\.bootDiskEncrypted, which no normalizer produces a value for \(fixtures: aws\)/);
  });

  it('fails the build on a package with manual or not_applicable entries that main.rego does not name, and on a name that declares none', async () => {
    const dir = policyCopy();
    dirs.push(dir);
    writeRule(dir, 'TST-921', 'kind: [cluster]', `
manual contains {"msg": "a person decides", "path": "name"} if input.cluster.name != ""`);
    writeRule(dir, 'TST-922', 'kind: [cluster]', `
not_applicable contains {"msg": "not this one"} if input.cluster.name == "x"`);
    nameInMain(dir, 'excluding_rules', 'wkl_001');
    const build = buildPolicies({ force: true, policies: dir, dist: path.join(dir, 'dist'), fixtures, note: () => {} });
    await expect(build).rejects.toThrow(PolicyBuildError);
    await expect(build).rejects.toThrow(/tst_921 declares manual: add "tst_921" to manual_rules in policies\/main\.rego/);
    await expect(build).rejects.toThrow(/tst_922 declares not_applicable: add "tst_922" to excluding_rules/);
    await expect(build).rejects.toThrow(/wkl_001 is in excluding_rules in policies\/main\.rego but declares no not_applicable/);
  });

  it('checks a scoped requirement only against the assets its selector matches: an ECR input required of ACR registries fails', async () => {
    const dir = policyCopy();
    dirs.push(dir);
    // ECR repositories carry raw.policyText; ACR registries never do, so requiring it there is a defect.
    writeRule(dir, 'TST-906', 'kind: [registry]\nrequires:\n  - {input: raw.policyText, service: [acr]}', `
violation contains {"msg": "policy text", "path": "policyText", "evidence": input.raw.policyText} if input.raw.policyText == "x"`);
    const build = buildPolicies({ force: true, policies: dir, dist: path.join(dir, 'dist'), fixtures, note: () => {} });
    await expect(build).rejects.toThrow(/TST-906 \(.*\): it requires raw\.policyText \(service=acr\), which no normalizer produces a value for/);
  });

  it('fails the build on a rule whose Rego reads a normalized path that does not exist', async () => {
    const dir = policyCopy();
    dirs.push(dir);
    writeRule(dir, 'TST-902', 'kind: [cluster]', `
violation contains {"msg": "zonal shift off", "path": "zonalShift", "evidence": false} if {
	object.get(input.cluster, ["zonalShift"], false) == false
}`);
    await expect(buildPolicies({ force: true, policies: dir, dist: path.join(dir, 'dist'), fixtures, note: () => {} })).rejects.toThrow(
      /TST-902 .*it reads input\.cluster\.zonalShift, which no normalizer produces/,
    );
  });

  it('fails the build on a rule whose Rego reads a normalized field every normalizer leaves null (no collector fills it)', async () => {
    const dir = policyCopy();
    dirs.push(dir);
    // Artifact Registry has no admin user: its normalizer leaves registry.adminUser null, so this rule
    // would pass every repository without judging anything.
    writeRule(dir, 'TST-904', 'kind: [registry]\napplies:\n  service: [artifact-registry]', `
violation contains {"msg": "admin user enabled", "path": "adminUser", "evidence": true} if input.registry.adminUser == true`);
    await expect(buildPolicies({ force: true, policies: dir, dist: path.join(dir, 'dist'), fixtures, note: () => {} })).rejects.toThrow(
      /TST-904 .*it reads input\.registry\.adminUser, which every normalizer leaves null or empty \(fixtures: gcp\)/,
    );
  });

  it('follows a loop variable to its collection: a field read through it that no normalizer produces fails the build', async () => {
    const dir = policyCopy();
    dirs.push(dir);
    // `c` stands for each element of input.workload.containers, here reached through the library's
    // workload.containers; no normalizer produces a container `bootstrapToken`.
    writeRule(dir, 'TST-905', 'kind: [workload]\nrequires: [workload.containers]', `
import data.posture.lib.workload

violation contains {"msg": "bootstrap token", "path": workload.container_path(c, "bootstrapToken"), "evidence": null} if {
	some c in workload.containers
	object.get(c, "bootstrapToken", null) != null
}`);
    await expect(buildPolicies({ force: true, policies: dir, dist: path.join(dir, 'dist'), fixtures, note: () => {} })).rejects.toThrow(
      /TST-905 .*it reads input\.workload\.containers\.bootstrapToken, which no normalizer produces/,
    );
  });

  it('follows a variable handed to a helper function, in the rule file or a library, nested helpers included', async () => {
    const dir = policyCopy();
    dirs.push(dir);
    // Each container `c` goes to a local helper, which hands it on to another; neither a container's
    // `bootstrapToken` nor a cluster's `zonalShift` is produced by any normalizer.
    writeRule(dir, 'TST-907', 'kind: [workload]\nrequires: [workload.containers]', `
import data.posture.lib.workload

token(c) := bootstrap(c)

bootstrap(container) := object.get(container, "bootstrapToken", null)

violation contains {"msg": "bootstrap token", "path": workload.container_path(c, "bootstrapToken"), "evidence": null} if {
	some c in workload.containers
	token(c) != null
}`);
    // A library helper that takes the whole input, the way policies/lib/aws.rego's helpers do.
    writeFileSync(
      path.join(dir, 'lib', 'tst_helpers.rego'),
      `package posture.lib.tst_helpers

import rego.v1

zonal_shift_off(asset) if asset.cluster.zonalShift == false
`,
    );
    writeRule(dir, 'TST-908', 'kind: [cluster]', `
import data.posture.lib.tst_helpers

violation contains {"msg": "zonal shift off", "path": "zonalShift", "evidence": false} if tst_helpers.zonal_shift_off(input)`);
    const build = buildPolicies({ force: true, policies: dir, dist: path.join(dir, 'dist'), fixtures, note: () => {} });
    await expect(build).rejects.toThrow(/TST-907 .*it reads input\.workload\.containers\.bootstrapToken, which no normalizer produces/);
    await expect(build).rejects.toThrow(/TST-908 .*it reads input\.cluster\.zonalShift, which no normalizer produces/);
  });

  it('fails the build on a rule that applies to assets no normalizer produces', async () => {
    const dir = policyCopy();
    dirs.push(dir);
    // A cluster never has a registry service: nothing any normalizer makes is judged by this rule.
    writeRule(dir, 'TST-903', 'kind: [cluster]\napplies:\n  service: [ecr]', `violation contains {"msg": "x", "path": "x", "evidence": null} if input.cluster.name == "never"`);
    await expect(buildPolicies({ force: true, policies: dir, dist: path.join(dir, 'dist'), fixtures, note: () => {} })).rejects.toThrow(
      /TST-903 .*no normalizer produces an asset it applies to \(cluster service=ecr\)/,
    );
  });

  it('reads literal input paths from the Rego AST, through object.get too', async () => {
    const reads = await readsOfFile(opaBinary, path.join(policiesDir, 'rules/cluster/common/clu_002_authorized_networks.rego'));
    expect(reads).toEqual(expect.arrayContaining(['cluster.name', 'cluster.endpoint.public', 'cluster.endpoint.allowedCidrs', 'cluster.endpoint.privateAllowedCidrs']));
    expect(inputReads({ rules: [] })).toEqual([]);
  });

  it('reads through variables bound to input collections: some … in, every … in, := and library values', async () => {
    const file = scratchRego(
      'loops.rego',
      `package posture.rules.tst_906

import data.posture.lib.workload
import rego.v1

violation contains {"msg": c.name, "path": "p", "evidence": null} if {
	some c in input.workload.containers
	c.securityContext.privileged
}

violation contains {"msg": "x", "path": "p", "evidence": null} if {
	pools := input.cluster.nodePools
	some i, pool in pools
	object.get(pool, ["config", "serviceAccount"], "") == "default"
	every r in input.workload.compatibilities {
		r.kind == "FARGATE"
	}
}

violation contains {"msg": "y", "path": "p", "evidence": null} if {
	some c in workload.containers
	c.allowPrivilegeEscalation
}
`,
    );
    const libs = { values: new Map([['data.posture.lib.workload.containers', ['workload', 'containers']]]), functions: new Map() };
    expect(await readsOfFile(opaBinary, file, libs)).toEqual([
      'cluster.nodePools',
      'cluster.nodePools.config.serviceAccount',
      'workload.compatibilities',
      'workload.compatibilities.kind',
      'workload.containers',
      'workload.containers.allowPrivilegeEscalation',
      'workload.containers.name',
      'workload.containers.securityContext.privileged',
    ]);
    // Without the library's values, what the rule reads through them is not seen (and not claimed).
    expect(await readsOfFile(opaBinary, file)).not.toContain('workload.containers.allowPrivilegeEscalation');
  });

  it('reads through helper functions: what a helper reads through an argument is read at the path handed to it', async () => {
    const lib = scratchRego(
      'helpers.rego',
      `package posture.lib.helpers

import rego.v1

pools(asset) := asset.cluster.nodePools

public_pool(pool) if pool.publicIp == true

labelled(asset, key) if asset.tags[key]
`,
    );
    const file = scratchRego(
      'calls.rego',
      `package posture.rules.tst_909

import data.posture.lib.helpers
import rego.v1

privileged(c) if flag(c.securityContext, "privileged")

flag(context, name) if context[name] == true

unused(c) := c.neverCalled

violation contains {"msg": "x", "path": "p", "evidence": null} if {
	some c in input.workload.containers
	privileged(c)
	helpers.labelled(input, "team")
}

violation contains {"msg": "y", "path": "p", "evidence": helpers.pools(input)} if {
	some pool in input.cluster.nodePools
	helpers.public_pool(pool)
}
`,
    );
    expect(await readsOfFile(opaBinary, file, await librariesOf(opaBinary, [lib]))).toEqual([
      'cluster.nodePools',
      'cluster.nodePools.publicIp',
      'tags',
      'workload.containers',
      'workload.containers.securityContext',
    ]);
    // Without the library, only the local helpers are followed.
    expect(await readsOfFile(opaBinary, file)).toEqual(['cluster.nodePools', 'workload.containers', 'workload.containers.securityContext']);
  });
});

describe('outcomes of fixture rules through the real engine', () => {
  let engine: Engine;
  let notes: string[];
  let eks: Asset;
  let ecsWorkload: Asset;

  beforeAll(async () => {
    const dir = policyCopy();
    dirs.push(dir);
    // Preview: its input is never produced, so the build lets it through and says so.
    writeRule(dir, 'TST-911', 'kind: [cluster]\napplies:\n  distribution: [eks]\nrequires: [cluster.nodePools.bootDiskEncrypted]\npreview: true', `
violation contains {"msg": "plain boot disk", "path": sprintf("nodePools/%s/bootDiskEncrypted", [pool.name]), "evidence": false} if {
	some pool in input.cluster.nodePools
	pool.bootDiskEncrypted == false
}`);
    // Manual: the rule cannot decide and says a person must.
    writeRule(dir, 'TST-912', 'kind: [cluster]\napplies:\n  distribution: [eks]', `
manual contains {"msg": "check the cluster's break-glass procedure", "path": "accessConfig"} if input.cluster.name != ""`);
    nameInMain(dir, 'manual_rules', 'tst_912');
    // Fails on every EKS cluster whose version is set: gives "fail", and "not evaluated" where raw.nodegroups is absent.
    writeRule(dir, 'TST-913', 'kind: [cluster]\napplies:\n  distribution: [eks]\nrequires: [raw.nodegroups]', `
violation contains {"msg": "node groups listed", "path": "nodegroups", "evidence": count(input.raw.nodegroups)} if count(input.raw.nodegroups) > 5`);
    // Merged from an earlier rule: the finding names the path it had under the alias.
    writeRule(dir, 'TST-914', 'kind: [cluster]\napplies:\n  distribution: [eks]\naliases: [TST-001]', `
violation contains {"msg": "public endpoint", "path": "cluster/endpoint/public", "evidence": true, "aliasPath": "endpoint/public"} if input.cluster.endpoint.public == true`);
    // Merged from one rule per distribution: each alias judged only its own clusters, and the earlier
    // rule reported the same problem in one of two places.
    writeRule(dir, 'TST-915', 'kind: [cluster]\naliases:\n  - {id: TST-002, distribution: [eks]}\n  - {id: TST-003, distribution: [gke]}\n  - TST-004', `
violation contains {"msg": "public endpoint", "path": "endpoint/public", "evidence": true, "aliasPath": ["a/enabled", "a/cidrs"]} if input.cluster.endpoint.public == true`);
    notes = [];
    await buildPolicies({ force: true, policies: dir, dist: path.join(dir, 'dist'), fixtures, note: (l) => notes.push(l) });
    engine = await Engine.load({ config: parseConfig({}), dist: path.join(dir, 'dist') });
    const local = await collectLocal([path.join(policiesDir, 'contracts/fixtures/aws'), path.resolve('samples/aws/ecs-task-definition-web.json')]);
    eks = parseAsset(local.assets.find((a) => a.kind === 'cluster')!);
    ecsWorkload = parseAsset(local.assets.find((a) => a.kind === 'workload')!);
  });

  it('lets a preview rule through the gate and reports why it is in preview', () => {
    expect(notes.some((n) => /TST-911 .* is in preview: it requires cluster\.nodePools\.bootDiskEncrypted/.test(n))).toBe(true);
    expect(engine.catalog.find((r) => r.id === 'TST-911')).toMatchObject({ preview: true });
  });

  it('gives every outcome: pass, fail, not applicable, not evaluated (input missing) and manual', () => {
    const withGroups = engine.assess(eks).outcomes;
    expect(outcomeOf(withGroups, 'TST-912')).toBe('manual');
    expect(outcomeOf(withGroups, 'TST-913')).toBe('pass'); // one node group listed
    expect(outcomeOf(withGroups, 'TST-911')).toBe('not-evaluated'); // bootDiskEncrypted is not there: not collected
    expect(withGroups.notEvaluated.find((n) => n.ruleId === 'TST-911')).toMatchObject({ reason: 'input-missing', detail: 'cluster.nodePools.bootDiskEncrypted was not collected' });
    expect(outcomeOf(engine.assess(ecsWorkload).outcomes, 'TST-913')).toBe('not-applicable');

    const raw = eks.raw as Record<string, unknown>;
    const manyGroups = { ...eks, raw: { ...raw, nodegroups: Array.from({ length: 6 }, (_, i) => ({ ...(raw.nodegroups as object[])[0], nodegroupName: `g${i}` })) } } as Asset;
    expect(outcomeOf(engine.assess(manyGroups).outcomes, 'TST-913')).toBe('fail');

    const { nodegroups: _dropped, ...withoutGroups } = raw;
    const unlisted = engine.assess({ ...eks, raw: withoutGroups } as Asset).outcomes;
    expect(outcomeOf(unlisted, 'TST-913')).toBe('not-evaluated');
    expect(unlisted.notEvaluated.find((n) => n.ruleId === 'TST-913')).toMatchObject({ reason: 'input-missing', detail: 'raw.nodegroups was not collected' });
  });

  it("gives a merged rule's finding the fingerprints it had under its aliases (asset + alias + the path then)", () => {
    const f = engine.assess(eks).findings.find((x) => x.ruleId === 'TST-914')!;
    expect(f).toMatchObject({ path: 'cluster/endpoint/public', aliases: ['TST-001'], previousFingerprints: [fingerprintOf(eks.id, 'TST-001', 'endpoint/public')] });
    expect(f.fingerprint).toBe(fingerprintOf(eks.id, 'TST-914', 'cluster/endpoint/public'));
  });

  it('carries only the aliases scoped to the asset, with the fingerprint of every place the earlier rule reported', () => {
    const f = engine.assess(eks).findings.find((x) => x.ruleId === 'TST-915')!;
    expect(f.aliases).toEqual(['TST-002', 'TST-004']);
    expect(f.previousFingerprints).toEqual([
      fingerprintOf(eks.id, 'TST-002', 'a/enabled'),
      fingerprintOf(eks.id, 'TST-002', 'a/cidrs'),
      fingerprintOf(eks.id, 'TST-004', 'a/enabled'),
      fingerprintOf(eks.id, 'TST-004', 'a/cidrs'),
    ]);
    expect(engine.catalog.find((r) => r.id === 'TST-915')).toMatchObject({ aliases: ['TST-002', 'TST-003', 'TST-004'], aliasScopes: { 'TST-002': { distribution: ['eks'] }, 'TST-003': { distribution: ['gke'] } } });
  });

  it("judges a cross-cloud rule's requirement only where its selector matches: REG-009 needs the ECR repository policy on ECR, not on ACR", async () => {
    const { assets } = await collectLocal([path.resolve('samples/aws/ecr-repositories.json')]);
    const repo = parseAsset(assets.find((a) => a.kind === 'registry')!);
    // describe-repositories carries no repository policy: who may push was never read, so no verdict.
    const unread = engine.assess(repo).outcomes;
    expect(outcomeOf(unread, 'REG-009')).toBe('not-evaluated');
    expect(unread.notEvaluated.find((n) => n.ruleId === 'REG-009')).toMatchObject({ reason: 'input-missing', detail: 'raw.policyText was not collected' });
    // GetRepositoryPolicy answered "no policy" (null): only the owning account can push.
    const raw = repo.raw as Record<string, unknown>;
    expect(outcomeOf(engine.assess({ ...repo, raw: { ...raw, policyText: null } } as Asset).outcomes, 'REG-009')).toBe('pass');
    const open = JSON.stringify({ Version: '2012-10-17', Statement: [{ Sid: 'anyone', Effect: 'Allow', Principal: '*', Action: ['ecr:PutImage'] }] });
    expect(outcomeOf(engine.assess({ ...repo, raw: { ...raw, policyText: open } } as Asset).outcomes, 'REG-009')).toBe('fail');
    // The rule's ECR requirement does not reach an ACR registry, which has no repository policy.
    const rule = engine.catalog.find((r) => r.id === 'REG-009')!;
    const acr = { ...repo, provider: 'azure', registry: { ...(repo as Extract<Asset, { kind: 'registry' }>).registry, service: 'acr' } } as Asset;
    expect(inputGap(acr, rule.requires)?.detail ?? '').not.toContain('raw.policyText');
  });

  it('gives "not evaluated (partial coverage)" when layer analysis stopped, for the contents and the matches made from them; a finding still fails', async () => {
    // The demo's sample image, matched against samples/osv (glibc's DSA-5514-1 live, openssl's DSA-5532-1
    // suppressed by VEX): as if one of its layers could not be read, so its packages were never inventoried.
    const image = parseAsset((await fixtures.find((f) => f.provider === 'oci')!.assets()).find((a) => a.kind === 'image' && (a.image.vulnerabilities ?? []).length > 0)!);
    if (image.kind !== 'image') throw new Error('not an image');
    const stopped = [{ code: 'layer-digest-mismatch', message: 'layer 1 does not match its digest' }];
    const partial = { ...image, image: { ...image.image, scanErrors: stopped, vulnerabilities: image.image.vulnerabilities!.filter((v) => v.suppressed) } } as Asset;
    const judged = engine.assess(partial).outcomes;
    // Nothing left to fail on, but the packages of the unread layer were never matched: no pass.
    expect(outcomeOf(judged, 'IMG-003')).toBe('not-evaluated');
    expect(judged.notEvaluated.find((n) => n.ruleId === 'IMG-003')).toMatchObject({ reason: 'partial-coverage', detail: 'image analysis incomplete: layer-digest-mismatch' });
    // Each rule reading the contents either found something on the analysed layers or is not evaluated.
    const contentRules = engine.catalog.filter((r) => r.requires.some((q) => JSON.stringify(q).includes('image.contents')) && judged.applicable.includes(r.id));
    const partialOnes = judged.notEvaluated.filter((n) => n.reason === 'partial-coverage').map((n) => n.ruleId);
    expect(contentRules.length).toBeGreaterThan(0);
    for (const r of contentRules) expect([r.id, outcomeOf(judged, r.id)]).toEqual([r.id, partialOnes.includes(r.id) ? 'not-evaluated' : 'fail']);
    expect(contentRules.filter((r) => partialOnes.includes(r.id)).length).toBeGreaterThan(0);
    // What the analysed layers did show is real: glibc's CVE-2023-4911 (high, fixed in 2.36-9+deb12u3) fails.
    const found = { ...partial, image: { ...(partial as typeof image).image, vulnerabilities: image.image.vulnerabilities } } as Asset;
    expect(outcomeOf(engine.assess(found).outcomes, 'IMG-003')).toBe('fail');
    // The whole image read: the same suppressed-only matches pass.
    expect(outcomeOf(engine.assess({ ...partial, image: { ...(partial as typeof image).image, scanErrors: [] } } as Asset).outcomes, 'IMG-003')).toBe('pass');
  });

  it('gives "not evaluated (collection error)" when collecting a required input failed', () => {
    const { nodegroups: _dropped, ...raw } = eks.raw as Record<string, unknown>;
    const failed = { ...eks, raw, collectionErrors: [{ input: 'raw.nodegroups', message: 'AccessDeniedException: eks:ListNodegroups' }] } as Asset;
    expect(engine.assess(failed).outcomes.notEvaluated.find((n) => n.ruleId === 'TST-913')).toEqual({
      ruleId: 'TST-913',
      reason: 'collection-error',
      detail: 'raw.nodegroups: AccessDeniedException: eks:ListNodegroups',
    });
  });
});
