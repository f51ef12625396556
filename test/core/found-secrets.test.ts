// A credential posture itself flags (an image ENV, a label, an ECS container variable, a Kubernetes pod's
// variable, a ConfigMap value) is never stored in clear: not in any report format, the scan history, an evidence bundle or the finding state. A keyed
// hash stands in its place, so a change of the value still shows as a change.
import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../cli/helpers.ts';
import { buildLayer } from '../oci/support/layers.ts';
import { writeLayout } from '../oci/support/layout-writer.ts';

const imagePassword = 'Sup3r-Secret-DB-Pa55';
const labelToken = `ghp_${'A1b2C3d4E5'.repeat(3)}abcdef`;
const ecsPassword = 'Ecs-Plain-Pa55word-9';
// Characters JSON escapes, so the copy inside kubectl's last-applied-configuration annotation differs.
const podPassword = 'Pod-Pa55"w0rd\\Kube-7';
const configMapPassword = 'Cm-Plain-Pa55word-42';
// 'Pod-Pa55' is in every escaped form of the pod's value, however often it was escaped.
const clear = [imagePassword, labelToken, ecsPassword, podPassword, 'Pod-Pa55', configMapPassword];

interface Report {
  findings: { ruleId: string; path: string }[];
  assets: { id: string; kind: string; image?: { config: { env: { name: string; value: string }[] } }; workload?: { containers: { env: { name: string; value: string }[] }[] } }[];
}
const ecsValue = (r: Report): string => r.assets.find((a) => a.kind === 'workload' && a.id.startsWith('aws://'))!.workload!.containers.flatMap((c) => c.env).find((e) => e.name === 'DB_PASSWORD')!.value;

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = path.join(dir, name);
    return statSync(p).isDirectory() ? filesUnder(p) : [p];
  });
}

async function estate(dir: string, password: string, ecs: string): Promise<void> {
  await writeLayout(path.join(dir, 'image'), {
    layers: [await buildLayer([{ path: 'etc/os-release', content: 'ID=debian\n' }])],
    config: { Env: ['PATH=/usr/bin', `DB_PASSWORD=${password}`], Labels: { 'ci.token': labelToken } },
  });
  const task = JSON.parse(readFileSync(path.resolve('samples/aws/ecs-task-definition-web.json'), 'utf8')) as {
    taskDefinition: { containerDefinitions: { environment?: { name: string; value: string }[] }[] };
  };
  task.taskDefinition.containerDefinitions[0]!.environment = [{ name: 'DB_PASSWORD', value: ecs }];
  writeFileSync(path.join(dir, 'task.json'), JSON.stringify(task));
  // A namespace with a ConfigMap holding a password, and a Deployment whose pod spec carries one, applied
  // with kubectl (which copies the whole object, escaped, into an annotation).
  const deployment = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'api', namespace: 'shop' },
    spec: {
      selector: { matchLabels: { app: 'api' } },
      template: {
        metadata: { labels: { app: 'api' } },
        spec: { containers: [{ name: 'api', image: 'registry.example/shop/api:1.0', env: [{ name: 'DB_PASSWORD', value: podPassword }] }] },
      },
    },
  };
  const applied = { ...deployment, metadata: { ...deployment.metadata, annotations: { 'kubectl.kubernetes.io/last-applied-configuration': JSON.stringify(deployment) } } };
  const manifests = [
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop' } },
    { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'app-config', namespace: 'shop' }, data: { DB_PASSWORD: configMapPassword } },
    applied,
  ];
  // JSON is YAML: one document per object.
  writeFileSync(path.join(dir, 'shop.yaml'), manifests.map((m) => JSON.stringify(m)).join('\n---\n'));
}

describe('found secrets', () => {
  it('are replaced by a keyed hash in every report format, the history, the evidence bundle and the state', async () => {
    const work = mkdtempSync(path.join(tmpdir(), 'posture-found-secrets-'));
    const inputs = path.join(work, 'inputs');
    const history = path.join(work, 'posture', 'history');
    const state = path.join(work, 'posture', 'state.db');
    await estate(inputs, imagePassword, ecsPassword);
    // ASFF needs the account findings are imported into (the image is not an AWS asset).
    const config = path.join(work, 'posture.yaml');
    writeFileSync(config, 'publish:\n  securityhub:\n    accountId: "123456789012"\n    region: eu-west-1\n');
    const outputs: string[] = [];
    for (const format of ['json', 'sarif', 'html', 'junit', 'csv', 'ocsf', 'asff', 'table']) {
      const run = await runCli(['scan', inputs, '--config', config, '--format', format, '--history-dir', history, '--state', state]);
      expect([format, run.code, run.stderr]).toEqual([format, 0, expect.any(String)]);
      outputs.push(run.stdout, run.stderr);
    }
    const report = JSON.parse(outputs[0]!) as Report;
    // The credentials were found (the rules saw the values) …
    expect(report.findings.map((f) => `${f.ruleId} ${f.path}`)).toEqual(
      expect.arrayContaining([
        'IMG-002 config/env/DB_PASSWORD',
        'IMG-002 config/labels/ci.token',
        'WKL-006 containers/web/env/DB_PASSWORD',
        'WKL-006 containers/api/env/DB_PASSWORD',
        'NS-004 configMaps/app-config/DB_PASSWORD',
      ]),
    );
    // … and what is kept in their place is a keyed hash.
    const env = report.assets.find((a) => a.kind === 'image')!.image!.config.env.find((e) => e.name === 'DB_PASSWORD')!;
    expect(env.value).toMatch(/^\[redacted:hmac-sha256:[0-9a-f]{16}\]$/);

    const evidence = path.join(work, 'evidence');
    const bundle = await runCli(['evidence', '--from', '2000-01-01', '--to', '2100-01-01', '--out', evidence, '--history-dir', history, '--state', state]);
    expect(bundle.code).toBe(0);
    const stored = [...filesUnder(history), ...filesUnder(evidence), state].map((f) => readFileSync(f).toString('latin1'));
    for (const text of [...outputs, ...stored]) for (const value of clear) expect(text).not.toContain(value);

    // A new value is a new hash: the change of the task definition's variable shows in the drift.
    const before = ecsValue(report);
    expect(before).toMatch(/^\[redacted:hmac-sha256:[0-9a-f]{16}\]$/);
    await estate(inputs, imagePassword, 'An0ther-Secret-Value!');
    const rescan = await runCli(['scan', inputs, '--config', config, '--format', 'json', '--history-dir', history, '--state', state]);
    const after = ecsValue(JSON.parse(rescan.stdout) as Report);
    expect(after).toMatch(/^\[redacted:hmac-sha256:[0-9a-f]{16}\]$/);
    expect(after).not.toBe(before);
    const diff = await runCli(['diff', '--history-dir', history, '--format', 'json']);
    expect(diff.stdout).toContain(before);
    expect(diff.stdout).toContain(after);
    expect(diff.stdout).not.toContain('An0ther-Secret-Value!');
  });
});
