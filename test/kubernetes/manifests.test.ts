// Kubernetes manifests as local inputs: multi-document YAML across files (joined into one estate),
// kubectl List JSON, a Helm chart rendered by the real helm, and hostile or foreign YAML handled by name.
import { mkdtempSync, mkdirSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { NamespaceAsset, WorkloadAsset } from '../../core/asset.ts';
import { collectLocal } from '../../providers/local/collect.ts';

const fixtures = path.resolve('test/fixtures/kubernetes');
const planted = path.resolve('samples/kubernetes');
const tmp = () => mkdtempSync(path.join(tmpdir(), 'posture-k8s-'));
const toolsBin = path.resolve('.tools/bin');

const savedPath = process.env.PATH;
beforeEach(() => {
  process.env.PATH = `${toolsBin}${path.delimiter}${savedPath ?? ''}`;
});
afterEach(() => {
  process.env.PATH = savedPath;
});

describe('Kubernetes manifests', () => {
  it('read a directory of multi-document YAML files as one estate', async () => {
    const { assets, errors } = await collectLocal([planted]);
    expect(errors).toEqual([]);
    expect(assets.map((a) => a.id).sort()).toEqual([
      'k8s://manifests/_cluster/ClusterRoleBinding/ci-deployer-admin',
      'k8s://manifests/_cluster/Namespace/legacy',
      'k8s://manifests/_cluster/Namespace/shop',
      'k8s://manifests/legacy/Deployment/billing',
      'k8s://manifests/legacy/Pod/debug-shell',
      'k8s://manifests/legacy/RoleBinding/secret-reader',
      'k8s://manifests/shop/Deployment/web',
    ]);
    const shop = assets.find((a) => a.id.endsWith('Namespace/shop')) as NamespaceAsset;
    expect(shop.source).toBe(path.join(planted, 'shop.yaml'));
    expect(shop.namespace.networkPolicies.map((p) => p.name)).toEqual(['default-deny']);
    const billing = assets.find((a) => a.id.endsWith('Deployment/billing')) as WorkloadAsset;
    expect(billing.workload.kubernetes?.exposure.map((e) => e.type)).toEqual(['LoadBalancer']);
    expect(billing.source).toBe(path.join(planted, 'legacy.yaml'));
  });

  it('read kubectl get -o json List output like the YAML it came from', async () => {
    const dir = tmp();
    const items = ['shop.yaml', 'legacy.yaml'].flatMap((f) => parseAllDocuments(readFileSync(path.join(planted, f), 'utf8')).map((d) => d.toJS() as unknown));
    writeFileSync(path.join(dir, 'all.json'), JSON.stringify({ apiVersion: 'v1', kind: 'List', metadata: { resourceVersion: '' }, items }));
    const fromJson = await collectLocal([path.join(dir, 'all.json')]);
    const fromYaml = await collectLocal([planted]);
    expect(fromJson.errors).toEqual([]);
    const strip = (a: { id: string; source?: string; collectedAt: string }) => ({ ...a, source: undefined, collectedAt: undefined });
    expect(fromJson.assets.map(strip).sort((a, b) => a.id.localeCompare(b.id))).toEqual(fromYaml.assets.map(strip).sort((a, b) => a.id.localeCompare(b.id)));
  });

  it('render a Helm chart directory with helm template when helm is on PATH', async () => {
    const { assets, errors } = await collectLocal([path.join(fixtures, 'chart')]);
    expect(errors).toEqual([]);
    expect(assets.map((a) => a.id)).toEqual(['k8s://manifests/default/DaemonSet/posture-metrics-agent']);
    const agent = assets[0] as WorkloadAsset;
    expect(agent.workload).toMatchObject({ hostNetwork: true, containers: [{ name: 'agent', image: 'quay.io/example/metrics-agent:2.4.0', privileged: true }] });
    expect(agent.source).toBe(path.join(fixtures, 'chart'));
  });

  it('say how to render a chart when helm is missing, and a Kustomize directory, without walking into either', async () => {
    process.env.PATH = '/nonexistent';
    const dir = tmp();
    mkdirSync(path.join(dir, 'overlay'));
    writeFileSync(path.join(dir, 'overlay', 'kustomization.yaml'), 'resources:\n  - deployment.yaml\n');
    writeFileSync(path.join(dir, 'overlay', 'deployment.yaml'), readFileSync(path.join(planted, 'shop.yaml')));
    const { assets, errors } = await collectLocal([path.join(fixtures, 'chart'), dir]);
    expect(assets).toEqual([]);
    expect(errors.map((e) => e.message)).toEqual([
      expect.stringMatching(/chart: a Helm chart, and helm is not on PATH; render it with `helm template NAME .*chart > manifests.yaml`/),
      expect.stringMatching(/overlay: a Kustomize directory; render it with `kubectl kustomize .*overlay > manifests.yaml`/),
    ]);
  });

  it('skip foreign YAML met in a directory, but name it when it was asked for', async () => {
    const dir = tmp();
    writeFileSync(path.join(dir, 'ci.yml'), 'on: push\njobs:\n  test:\n    runs-on: ubuntu-latest\n');
    writeFileSync(path.join(dir, 'pod.yaml'), 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n    - name: c\n      image: busybox\n');
    const walked = await collectLocal([dir]);
    expect(walked.errors).toEqual([]);
    expect(walked.assets.map((a) => a.id)).toEqual(['k8s://manifests/default/Pod/p']);
    const named = await collectLocal([path.join(dir, 'ci.yml')]);
    expect(named.errors[0]?.message).toMatch(/ci\.yml: unrecognised input shape\. Accepted: .*Kubernetes objects/);
  });

  it('name broken YAML and broken objects by file, line and object, and keep reading the rest', async () => {
    const dir = tmp();
    writeFileSync(path.join(dir, 'a-broken.yaml'), 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: [unclosed\n');
    writeFileSync(
      path.join(dir, 'b-mixed.yaml'),
      [
        'apiVersion: v1\nkind: Pod\nmetadata:\n  name: good\nspec:\n  containers:\n    - name: c\n      image: busybox',
        'apiVersion: v1\nkind: Pod\nmetadata:\n  namespace: x\nspec: {}',
        'just: a map',
      ].join('\n---\n'),
    );
    const { assets, errors } = await collectLocal([dir]);
    expect(assets.map((a) => a.id)).toEqual(['k8s://manifests/default/Pod/good']);
    expect(errors.map((e) => e.message)).toEqual([
      expect.stringMatching(/a-broken\.yaml: not valid YAML \(line \d+, column \d+\)/),
      expect.stringMatching(/b-mixed\.yaml: unrecognised input shape \(document 3\)/),
      expect.stringMatching(/b-mixed\.yaml: Pod x\/\(no name\): not a Kubernetes object: .*metadata\.name/s),
    ]);
  });

  it('bound YAML alias expansion (a billion-laughs file is an error, not an out-of-memory)', async () => {
    const dir = tmp();
    const lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
    for (let i = 1; i < 10; i++) lines.push(`${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(9).fill(`*${String.fromCharCode(96 + i)}`).join(',')}]`);
    writeFileSync(path.join(dir, 'bomb.yaml'), `${lines.join('\n')}\n`);
    const { assets, errors } = await collectLocal([path.join(dir, 'bomb.yaml')]);
    expect(assets).toEqual([]);
    expect(errors[0]?.message).toMatch(/bomb\.yaml: document 1 cannot be read: Excessive alias count/);
  });
});
