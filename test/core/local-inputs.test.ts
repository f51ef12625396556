// Hostile and odd local inputs: bounded, named, and never fatal to the rest of the run.
import { mkdtempSync, writeFileSync, copyFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { collectLocal } from '../../providers/local/collect.ts';

const tmp = () => mkdtempSync(path.join(tmpdir(), 'posture-local-'));
const sample = (p: string) => path.resolve('samples', p);

describe('local inputs', () => {
  it('refuses a JSON file over the size limit without reading it, and keeps the others', async () => {
    const dir = tmp();
    writeFileSync(path.join(dir, 'big.json'), `[${'0,'.repeat(5000)}0]`);
    copyFileSync(sample('aws/ecr-repositories.json'), path.join(dir, 'ecr.json'));
    const { assets, errors } = await collectLocal([dir], { maxJsonBytes: 4096 });
    expect(assets.map((a) => a.kind)).toEqual(['registry', 'registry']);
    expect(errors).toEqual([{ source: path.join(dir, 'big.json'), message: expect.stringMatching(/big\.json: 10003 bytes is larger than the 4096-byte limit/) }]);
  });

  it('survives pathologically nested JSON', async () => {
    const dir = tmp();
    writeFileSync(path.join(dir, 'deep.json'), `${'['.repeat(200_000)}${']'.repeat(200_000)}`);
    const { assets, errors } = await collectLocal([dir]);
    expect(assets).toEqual([]);
    // Refused before anything recursive reads it, with the file and the place named.
    expect(errors[0]?.message).toMatch(/deep\.json: JSON nested deeper than 100 levels \(line 1, column 101\); refused/);
  });

  it('walks nested directories, ignores hidden files and non-JSON files', async () => {
    const dir = tmp();
    mkdirSync(path.join(dir, 'team-a', 'eks'), { recursive: true });
    mkdirSync(path.join(dir, '.git'));
    writeFileSync(path.join(dir, '.git', 'config.json'), '{not json');
    writeFileSync(path.join(dir, 'README.md'), '# notes');
    copyFileSync(sample('aws/eks-cluster-platform.json'), path.join(dir, 'team-a', 'eks', 'platform.json'));
    const { assets, errors } = await collectLocal([dir]);
    expect(errors).toEqual([]);
    expect(assets.map((a) => a.id)).toEqual(['aws://111122223333/eu-central-1/eks/cluster/platform']);
  });

  it('reads AKS in both the ARM wire form and the az/SDK form into the same normalized fields', async () => {
    const { assets } = await collectLocal([sample('azure')]);
    const byName = Object.fromEntries(assets.map((a) => [a.id.split('/').pop(), a]));
    const legacy = byName['aks-legacy'];
    const checkout = byName['aks-checkout'];
    expect(legacy?.rawForm).toBe('arm-rest');
    expect(checkout?.rawForm).toBe('arm-sdk');
    if (legacy?.kind !== 'cluster' || checkout?.kind !== 'cluster') throw new Error('expected clusters');
    expect(legacy.cluster).toMatchObject({ rbac: false, networkPolicy: false, endpoint: { public: true, allowedCidrs: ['0.0.0.0/0'] } });
    expect(legacy.cluster.nodePools[0]?.publicIp).toBe(true);
    expect(checkout.cluster).toMatchObject({ rbac: true, networkPolicy: true, endpoint: { public: false }, secretsEncryption: { enabled: true } });
    expect(checkout.jurisdiction).toBe('EU');
    expect(legacy.jurisdiction).toBe('US');
  });

  it('reads GKE endpoint exposure from values, not from the presence of fields', async () => {
    const { assets } = await collectLocal([sample('gcp')]);
    const recs = assets.find((a) => a.id.endsWith('/recs'));
    const search = assets.find((a) => a.id.endsWith('/search'));
    if (recs?.kind !== 'cluster' || search?.kind !== 'cluster' || recs.cluster.distribution === 'ecs' || search.cluster.distribution === 'ecs') throw new Error('expected GKE clusters');
    expect(recs.cluster.endpoint).toEqual({ public: true, private: false, allowedCidrs: ['0.0.0.0/0'], privateAllowedCidrs: null });
    expect(recs.cluster.rbac).toBe(false);
    // Private endpoint, and the authorized networks filter it too.
    expect(search.cluster.endpoint).toEqual({ public: false, private: true, allowedCidrs: [], privateAllowedCidrs: ['203.0.113.0/24'] });
    expect(search.cluster.locations).toEqual(['us-central1', 'us-central1-a', 'us-central1-b']);
  });

  it('applies API defaults for fields an ECS export leaves out', async () => {
    const { assets } = await collectLocal([sample('aws/ecs-task-definition-payments.json')]);
    const td = assets[0];
    if (td?.kind !== 'workload') throw new Error('expected a workload');
    const api = td.workload.containers[0];
    expect(api).toMatchObject({ readOnlyRootFilesystem: false, user: null, privileged: true, hostPorts: [443] });
    expect(td.workload).toMatchObject({ hostNetwork: true, hostPid: true, hostIpc: false });
    expect(td.tags['data-classification']).toBe('restricted');
  });

  it('reads an ECS describe-clusters export, judging only what it includes', async () => {
    const dir = tmp();
    const arn = 'arn:aws:ecs:eu-west-1:111122223333:cluster/';
    const clusters = [
      { clusterArn: `${arn}batch`, clusterName: 'batch', status: 'ACTIVE', settings: [{ name: 'containerInsights', value: 'disabled' }], configuration: { executeCommandConfiguration: { logging: 'NONE' } }, tags: [{ key: 'team', value: 'data' }] },
      { clusterArn: `${arn}bare`, clusterName: 'bare', status: 'ACTIVE' },
    ];
    writeFileSync(path.join(dir, 'clusters.json'), JSON.stringify({ clusters, failures: [] }));
    const { assets, errors } = await collectLocal([dir]);
    expect(errors).toEqual([]);
    const byName = Object.fromEntries(assets.map((a) => [a.id.split('/').pop(), a]));
    expect(byName.batch).toMatchObject({ id: 'aws://111122223333/eu-west-1/ecs/cluster/batch', tags: { team: 'data' }, cluster: { distribution: 'ecs', containerInsights: 'disabled', executeCommand: { logging: 'NONE', kmsKeyId: null } } });
    // Exported without SETTINGS or CONFIGURATIONS: those questions stay open.
    expect(byName.bare).toMatchObject({ cluster: { containerInsights: null, executeCommand: null, execEnabledServices: null } });
  });
});
