// The ECR and ECS collectors' request shape on an estate with more than one page of every list: repositories
// (DescribeRepositories), task-definition families (ListTaskDefinitionFamilies), clusters (ListClusters, read in
// DescribeClusters batches) and the services of one cluster (ListServices, read in DescribeServices batches of
// 10). Pages are handed on while the next one is listed and task definitions are read once each; the assets
// must be exactly what was seeded. moto does not page, so the loopback proxy pages its answers as AWS does and
// counts every request.
import { CreateRepositoryCommand } from '@aws-sdk/client-ecr';
import { CreateClusterCommand, CreateServiceCommand, RegisterTaskDefinitionCommand } from '@aws-sdk/client-ecs';
import pLimit from 'p-limit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Asset, ServiceAsset, WorkloadAsset } from '../../core/asset.ts';
import { collectAws, type AwsCollection } from '../../providers/aws/index.ts';
import { motoCredentials, startMoto, type MotoServer } from '../standins/moto.ts';
import { startAwsProxy, type AwsProxy } from './support/aws-proxy.ts';
import { callerAccount as account, clientsFor, webContainer } from './support/seed.ts';

const region = 'eu-west-1';
const now = new Date('2026-06-01T00:00:00Z');
const base = `aws://${account}/${region}`;
const pad = (i: number) => String(i).padStart(3, '0');

// Past AWS's page sizes: 100 repositories, families and clusters per page; 100 services per ListServices page
// as the collector asks (the proxy's default without maxResults is 10).
const repositories = Array.from({ length: 130 }, (_, i) => `paged/repo-${pad(i)}`);
const families = Array.from({ length: 120 }, (_, i) => `paged-task-${pad(i)}`);
const clusters = Array.from({ length: 115 }, (_, i) => `paged-cluster-${pad(i)}`);
const busy = clusters[0]!;
// 105 services in one cluster: 2 ListServices pages, 11 DescribeServices calls. Services 0-99 run their family's
// only (newest) revision; 100-104 run revision 1 of `paged-rolled`, which has a newer revision 2.
const services = Array.from({ length: 105 }, (_, i) => ({ name: `svc-${pad(i)}`, taskDefinition: i < 100 ? `${families[i]}:1` : 'paged-rolled:1' }));

let moto: MotoServer;
let proxy: AwsProxy;
let result: AwsCollection;

async function seed(): Promise<void> {
  const { ecr, ecs } = clientsFor(moto.endpoint, region, motoCredentials);
  const limit = pLimit(8);
  await Promise.all(repositories.map((repositoryName) => limit(() => ecr.send(new CreateRepositoryCommand({ repositoryName })))));
  await Promise.all(families.map((family) => limit(() => ecs.send(new RegisterTaskDefinitionCommand({ family, containerDefinitions: [webContainer({ name: 'app', image: `registry.example/${family}:1` })] })))));
  for (const tag of ['1', '2']) {
    await ecs.send(new RegisterTaskDefinitionCommand({ family: 'paged-rolled', containerDefinitions: [webContainer({ name: 'app', image: `registry.example/rolled:${tag}` })] }));
  }
  await Promise.all(clusters.map((clusterName) => limit(() => ecs.send(new CreateClusterCommand({ clusterName })))));
  await Promise.all(services.map((s) => limit(() => ecs.send(new CreateServiceCommand({ cluster: busy, serviceName: s.name, taskDefinition: s.taskDefinition, desiredCount: 0 })))));
}

beforeAll(async () => {
  moto = await startMoto();
  await seed();
  proxy = await startAwsProxy({ target: moto.endpoint });
  const endpoint = proxy.endpoint;
  result = await collectAws({
    settings: { regions: [region], homeRegion: region, services: ['ecr', 'ecs'], endpoints: { sts: endpoint, ecr: endpoint, ecs: endpoint }, imagesPerRepository: 0 },
    credentials: motoCredentials,
    now,
  });
}, 240_000);

afterAll(async () => {
  await proxy?.stop();
  await moto?.stop();
});

const ids = (pred: (a: Asset) => boolean) => result.assets.filter(pred).map((a) => a.id).sort();
const calls = (operation: string) => proxy.calls.get(`${account}/${region}/${operation}`) ?? 0;

describe('ECR and ECS past the first page of every list', () => {
  it('returns exactly the seeded repositories, clusters, services and task definitions', () => {
    // The one error is moto 5.2's: it has no DescribePullThroughCacheRules (test/aws/estate.test.ts fills it in).
    expect(result.errors.map((e) => e.scope)).toEqual([`aws/${account}/${region}/ecr/registry/pull-through-cache-rules`]);
    expect(ids((a) => a.id.includes('/ecr/repository/'))).toEqual(repositories.map((r) => `${base}/ecr/repository/${r}`).sort());
    expect(ids((a) => a.kind === 'cluster')).toEqual(clusters.map((c) => `${base}/ecs/cluster/${c}`).sort());
    expect(ids((a) => a.kind === 'service')).toEqual(services.map((s) => `${base}/ecs/service/${busy}/${s.name}`).sort());
    // Every family's newest revision, plus the older revision services still run.
    const workloads = [...families.map((f) => `${f}:1`), 'paged-rolled:2', 'paged-rolled:1'];
    expect(ids((a) => a.kind === 'workload')).toEqual(workloads.map((w) => `${base}/ecs/task-definition/${w}`).sort());
  });

  it('keeps each revision its own content and each service its own task definition', () => {
    const image = (id: string) => (result.assets.find((a) => a.id === `${base}/ecs/task-definition/${id}`) as WorkloadAsset).workload.containers[0]?.image;
    expect(image('paged-rolled:1')).toBe('registry.example/rolled:1');
    expect(image('paged-rolled:2')).toBe('registry.example/rolled:2');
    expect(image(`${families[7]}:1`)).toBe(`registry.example/${families[7]}:1`);
    const service = (name: string) => result.assets.find((a) => a.id === `${base}/ecs/service/${busy}/${name}`) as ServiceAsset;
    expect(service('svc-007').service.taskDefinition).toBe(`arn:aws:ecs:${region}:${account}:task-definition/${families[7]}:1`);
    expect(service('svc-103').service.taskDefinition).toBe(`arn:aws:ecs:${region}:${account}:task-definition/paged-rolled:1`);
  });

  it('follows every page and batches the describes', () => {
    expect(proxy.pages.get(`${account}/${region}/DescribeRepositories`)).toBe(2);
    expect(proxy.pages.get(`${account}/${region}/ListTaskDefinitionFamilies`)).toBe(2);
    expect(proxy.pages.get(`${account}/${region}/ListClusters`)).toBe(2);
    // The busy cluster's 105 services take two pages; each of the other 114 clusters answers one empty page.
    expect(proxy.pages.get(`${account}/${region}/ListServices`)).toBe(2 + clusters.length - 1);
    expect(calls('DescribeClusters')).toBe(2);
    expect(calls('DescribeServices')).toBe(11);
  });

  it('reads each task definition once: the families by name, then only revisions services run that are not a newest', () => {
    // 121 families (120 + paged-rolled) by name, and paged-rolled:1; the 100 services on a newest revision cost nothing more.
    expect(calls('DescribeTaskDefinition')).toBe(families.length + 1 + 1);
  });
});
