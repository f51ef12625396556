// `posture export admission` on the real catalog: the exported Gatekeeper templates pass gator's suites
// (a compliant and a violating pod per template), each example pod gets the same verdict from posture's own
// rule, and the graduated modes of posture.yaml reach every constraint and binding.
import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { parseAllDocuments, parse as parseYaml } from 'yaml';
import { beforeAll, describe, expect, it } from 'vitest';
import { examplePod } from '../../admission/export.ts';
import { examplesOf, loadNotExported, loadTranslations } from '../../admission/translation.ts';
import { parseConfig } from '../../core/config.ts';
import { Engine } from '../../policies/engine.ts';
import { normalizeKubernetesObjects } from '../../providers/kubernetes/normalize/index.ts';
import { runCli } from '../cli/helpers.ts';
import { toolsBin } from '../oci/support/registry-server.ts';

const run = promisify(execFile);
// The data WKL-016 and DR-001 read, as a user's posture.yaml gives it; the example pods are judged under it.
const dataLines = ['image:', '  trustedRegistries: [registry.example, "*.dkr.ecr.*.amazonaws.com"]', 'residency:', '  tagKeys: [data-classification, classification]'];
const data = { image: { trustedRegistries: ['registry.example', '*.dkr.ecr.*.amazonaws.com'] }, residency: { tagKeys: ['data-classification', 'classification'] } };
let out: string;
let stdout: string;

beforeAll(async () => {
  const dir = await mkdtemp(join(tmpdir(), 'posture-admission-'));
  out = join(dir, 'out');
  const config = join(dir, 'posture.yaml');
  // WKL-001 enforced by its own entry, the Pod Security Standards framework warned, everything else audited.
  await writeFile(config, ['admission:', '  modes:', '    default: audit', '    frameworks: { k8s-pss: warn }', '    rules: { WKL-001: enforce }', ...dataLines].join('\n'));
  const result = await runCli(['export', 'admission', '--config', config, '--out', out]);
  expect(result.code, result.stderr).toBe(0);
  stdout = result.stdout;
});

describe('posture export admission', () => {
  it("passes gator verify: every exported template's compliant pod is admitted and its violating pod is not", async () => {
    const { stdout: gator } = await run(join(toolsBin, 'gator'), ['verify', '-v', join(out, 'gatekeeper')]);
    const templates = await readdir(join(out, 'gatekeeper', 'templates'));
    expect(templates.length).toBe(loadTranslations().length);
    for (const t of loadTranslations()) {
      expect(gator).toContain(`--- PASS: ${t.rule}`);
      for (const e of examplesOf(t)) expect(gator).toContain(`--- PASS: ${e.name}`);
    }
    expect(gator).not.toContain('FAIL');
  });

  it("gives each example pod the verdict posture's own rule gives it", async () => {
    const engine = await Engine.load({ config: parseConfig(data) });
    for (const t of loadTranslations()) {
      for (const e of examplesOf(t)) {
        const assets = normalizeKubernetesObjects([examplePod(t, e)], { cluster: 'manifests', collectedAt: '2026-11-26T00:00:00Z', complete: false });
        const pod = assets.find((a) => a.kind === 'workload')!;
        const failed = engine.evaluate(pod).some((f) => f.ruleId === t.rule);
        expect({ rule: t.rule, example: e.name, failed }).toEqual({ rule: t.rule, example: e.name, failed: e.violates });
      }
    }
  });

  it('sets each rule in its graduated mode: rule entry, then the strictest framework, then the default', async () => {
    const action = async (file: string) => (parseYaml(await readFile(join(out, 'gatekeeper', 'constraints', file), 'utf8')) as { spec: { enforcementAction: string } }).spec.enforcementAction;
    const bindingOf = async (file: string) => {
      const docs = parseAllDocuments(await readFile(join(out, 'vap', file), 'utf8')).map((d) => d.toJS() as { kind: string; spec: { validationActions?: string[] } });
      return docs.find((d) => d.kind === 'ValidatingAdmissionPolicyBinding')!.spec.validationActions;
    };
    expect(await action('posturewkl001.yaml')).toBe('deny');
    expect(await bindingOf('posture-wkl-001.yaml')).toEqual(['Deny']);
    // WKL-031 maps to k8s-pss (allowPrivilegeEscalation is a Restricted control): warn.
    expect(await action('posturewkl031.yaml')).toBe('warn');
    expect(await bindingOf('posture-wkl-031.yaml')).toEqual(['Warn']);
    // IMG-013 is in no Pod Security Standards control: the default.
    expect(await action('postureimg013.yaml')).toBe('dryrun');
    expect(await bindingOf('posture-img-013.yaml')).toEqual(['Audit']);
  });

  it('names every workload rule it did not export, with the reason', () => {
    for (const [rule, reason] of loadNotExported()) expect(stdout).toContain(`  ${rule}  ${reason}`);
    expect(stdout).toMatch(/ECS-007 {2}applies only to ecs workloads/);
    for (const t of loadTranslations()) expect(stdout).toMatch(new RegExp(`  ${t.rule}  (audit|warn|enforce) `));
  });
});
