// The exported ValidatingAdmissionPolicies on a real kube-apiserver: every policy and binding is accepted,
// a pod violating the enforced rule is refused with the rule's message, and every other rule (in warn mode)
// admits its violating pod with its message as a warning and its compliant pod without it.
import { mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Agent, request } from 'undici';
import { parseAllDocuments } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { examplePod } from '../../admission/export.ts';
import { examplesOf, loadTranslations } from '../../admission/translation.ts';
import { runCli } from '../cli/helpers.ts';
import { ensureDefaultServiceAccounts, startKubeApiServer, type KubeApiServer } from '../standins/kube-apiserver.ts';

// The data WKL-016 and DR-001 read, as a user's posture.yaml gives it.
const dataLines = ['image:', '  trustedRegistries: [registry.example, "*.dkr.ecr.*.amazonaws.com"]', 'residency:', '  tagKeys: [data-classification, classification]'];

let api: KubeApiServer;
let agent: Agent;
let policyNames: string[];
let lastRule: string;

const translation = (rule: string) => loadTranslations().find((t) => t.rule === rule)!;

/** Creates a pod as the admin, returning the status, the Warning headers and the API's message. */
async function createPod(pod: Record<string, unknown>): Promise<{ status: number; warnings: string[]; message: string }> {
  const namespace = (pod.metadata as { namespace: string }).namespace;
  const res = await request(`${api.url}/api/v1/namespaces/${namespace}/pods`, {
    method: 'POST',
    dispatcher: agent,
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify(pod),
    headersTimeout: 30_000,
    bodyTimeout: 30_000,
  });
  const body = (await res.body.json()) as { message?: string };
  const header = res.headers['warning'];
  const warnings = header === undefined ? [] : Array.isArray(header) ? header : [header];
  return { status: res.statusCode, warnings, message: body.message ?? '' };
}

beforeAll(async () => {
  api = await startKubeApiServer();
  agent = new Agent({ connect: { ca: api.ca, cert: api.admin.cert, key: api.admin.key } });
  await api.admin$('POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop' } });
  await ensureDefaultServiceAccounts(api, ['shop', 'default']);

  const dir = await mkdtemp(join(tmpdir(), 'posture-vap-'));
  const config = join(dir, 'posture.yaml');
  await writeFile(config, ['admission:', '  modes:', '    default: warn', '    rules: { WKL-001: enforce }', ...dataLines].join('\n'));
  const out = join(dir, 'out');
  const exported = await runCli(['export', 'admission', '--config', config, '--out', out]);
  expect(exported.code, exported.stderr).toBe(0);
  policyNames = [];
  for (const file of (await readdir(join(out, 'vap'))).sort()) {
    for (const doc of parseAllDocuments(await readFile(join(out, 'vap', file), 'utf8'))) {
      const object = doc.toJS() as { kind: string; metadata: { name: string; labels: Record<string, string> } };
      const resource = object.kind === 'ValidatingAdmissionPolicy' ? 'validatingadmissionpolicies' : 'validatingadmissionpolicybindings';
      await api.admin$('POST', `/apis/admissionregistration.k8s.io/v1/${resource}`, object);
      if (object.kind === 'ValidatingAdmissionPolicy') policyNames.push(object.metadata.name);
      lastRule = object.metadata.labels['posture.dev/rule']!;
    }
  }
  // Policies take effect once the API server's admission informers have them, in the order they were created:
  // wait until the last one created warns about its violating pod (a bounded poll on the outcome, not on time).
  const last = translation(lastRule);
  const probe = { ...examplePod(last, 'violating'), metadata: { ...(examplePod(last, 'violating').metadata as object), name: undefined, generateName: 'probe-' } };
  for (let i = 0; ; i++) {
    const { warnings } = await createPod(probe);
    if (warnings.some((w) => w.includes(`${last.rule}:`))) break;
    if (i > 600) throw new Error('the exported policies never took effect');
    await new Promise((r) => setTimeout(r, 100));
  }
}, 240_000);

afterAll(async () => {
  await agent?.close();
  await api?.stop();
});

describe('exported ValidatingAdmissionPolicies on a real API server', () => {
  it('accepts every exported policy and binding', () => {
    expect(policyNames.length).toBe(loadTranslations().length);
  });

  it('refuses a pod that violates a rule in enforce mode (deny), naming the rule', async () => {
    const result = await createPod(examplePod(translation('WKL-001'), 'violating'));
    expect(result.status).toBe(403);
    expect(result.message).toContain('WKL-001: a container runs privileged');
  });

  it.each(loadTranslations().filter((t) => t.rule !== 'WKL-001').map((t) => t.rule))('%s in warn mode admits its violating pod with its message as a warning, and its compliant pod without', async (rule) => {
    const t = translation(rule);
    const violating = await createPod(examplePod(t, 'violating'));
    if (t.apiServerRefusesViolating) {
      // This API server's own validation refuses the pod before any admission policy sees it.
      expect(violating.status, violating.message).toBe(422);
      expect(violating.message).toContain(t.apiServerRefusesViolating);
    } else {
      expect(violating.status, violating.message).toBe(201);
      expect(violating.warnings.join('\n')).toContain(t.cel[0]!.message.split(':')[0]!);
      expect(violating.warnings.some((w) => t.cel.some((v) => w.includes(v.message)))).toBe(true);
    }
    const compliant = await createPod(examplePod(t, 'compliant'));
    expect(compliant.status, compliant.message).toBe(201);
    expect(compliant.warnings.join('\n')).not.toContain(`${rule}:`);
    // The edge cases: a warning exactly for those the rule's text judges violating.
    for (const e of examplesOf(t).slice(2)) {
      const created = await createPod(examplePod(t, e));
      expect(created.status, `${rule} ${e.name}: ${created.message}`).toBe(201);
      expect({ case: e.name, warned: created.warnings.some((w) => w.includes(`${rule}:`)) }).toEqual({ case: e.name, warned: e.violates });
    }
  });

  it('admits the compliant pod of the enforced rule', async () => {
    const result = await createPod(examplePod(translation('WKL-001'), 'compliant'));
    expect(result.status, result.message).toBe(201);
  });
});
