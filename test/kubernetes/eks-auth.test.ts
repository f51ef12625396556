// EKS end to end on loopback: the AWS provider's identity (an IAM user's keys in moto), DescribeCluster for the
// endpoint and CA (moto, behind a proxy that points the cluster at the real kube-apiserver), a presigned STS
// token, the API server's token webhook standing in for EKS's IAM authenticator (replays the URL to moto's STS
// and maps the ARN through an access entry), RBAC with the shipped ClusterRole. Also: an AWS scope with
// `kubernetes.discovered` hands the cluster on as a Kubernetes scope of its own, in the CLI and in the sweep.
import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CreateClusterCommand, EKSClient } from '@aws-sdk/client-eks';
import { CreateAccessKeyCommand, CreateUserCommand, IAMClient } from '@aws-sdk/client-iam';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createScopeSweeper } from '../../functions/runtime/scope-sweeps.ts';
import { readCluster } from '../../providers/kubernetes/collector.ts';
import { KubernetesSettings } from '../../providers/kubernetes/settings.ts';
import { Orchestration } from '../../providers/orchestrate.ts';
import { startEksAuthenticator, type EksAuthenticator } from '../standins/eks-authenticator.ts';
import { startKubeApiServer, type KubeApiServer } from '../standins/kube-apiserver.ts';
import { motoCredentials, startMoto, type MotoServer } from '../standins/moto.ts';
import { grantPostureReader } from './support/reader.ts';
import { plantEstate, plantedNames } from './support/estate.ts';

const account = '123456789012';
const region = 'eu-west-1';

let moto: MotoServer;
let api: KubeApiServer;
let authenticator: EksAuthenticator;
let eksProxy: { endpoint: string; server: Server };
let reader: { accessKeyId: string; secretAccessKey: string };
let stranger: { accessKeyId: string; secretAccessKey: string };

/** moto's EKS, with DescribeCluster answers pointed at the test's API server (moto invents an endpoint and CA). */
async function startEksProxy(target: string, apiUrl: string, ca: string): Promise<{ endpoint: string; server: Server }> {
  const server = createServer((req, res) => {
    const upstream = httpRequest(`${target}${req.url}`, { method: req.method, headers: req.headers }, (up) => {
      const chunks: Buffer[] = [];
      up.on('data', (c: Buffer) => chunks.push(c));
      up.on('end', () => {
        let body = Buffer.concat(chunks);
        if (req.method === 'GET' && /^\/clusters\/[^/]+$/.test(req.url ?? '') && up.statusCode === 200) {
          const doc = JSON.parse(body.toString('utf8')) as { cluster: Record<string, unknown> };
          doc.cluster.endpoint = apiUrl;
          doc.cluster.certificateAuthority = { data: Buffer.from(ca).toString('base64') };
          body = Buffer.from(JSON.stringify(doc));
        }
        const headers = { ...up.headers, 'content-length': String(body.length) };
        res.writeHead(up.statusCode ?? 502, headers);
        res.end(body);
      });
    });
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

const awsSettings = () => ({
  homeRegion: region,
  imagesPerRepository: 0,
  maxAttempts: 2,
  endpoints: { sts: moto.endpoint, ec2: moto.endpoint, ecr: moto.endpoint, ecs: moto.endpoint, eks: eksProxy.endpoint },
});

beforeAll(async () => {
  moto = await startMoto({ region });
  const iam = new IAMClient(moto.clientConfig);
  const keysOf = async (user: string) => {
    await iam.send(new CreateUserCommand({ UserName: user }));
    const key = (await iam.send(new CreateAccessKeyCommand({ UserName: user }))).AccessKey!;
    return { accessKeyId: key.AccessKeyId!, secretAccessKey: key.SecretAccessKey! };
  };
  reader = await keysOf('posture-eks');
  stranger = await keysOf('no-access-entry');
  await new EKSClient({ ...moto.clientConfig, region }).send(
    new CreateClusterCommand({ name: 'prod', roleArn: `arn:aws:iam::${account}:role/eks`, resourcesVpcConfig: { subnetIds: ['subnet-1'], endpointPublicAccess: true } }),
  );
  authenticator = await startEksAuthenticator({
    sts: moto.endpoint,
    cluster: 'prod',
    accessEntries: { [`arn:aws:iam::${account}:user/posture-eks`]: { username: 'posture-eks', groups: ['posture-readers'] } },
  });
  api = await startKubeApiServer({ tokenWebhook: { url: authenticator.url } });
  eksProxy = await startEksProxy(moto.endpoint, api.url, api.ca);
  await grantPostureReader(api, { 'posture-readers': { kind: 'Group', name: 'posture-readers' } });
  await plantEstate(api);
}, 240_000);

afterAll(async () => {
  await Promise.allSettled([api?.stop(), authenticator?.stop(), moto?.stop(), new Promise((r) => eksProxy?.server.close(r))]);
});

const eksScope = { provider: 'kubernetes', account, region, target: 'eks/prod' };

const contextFor = (credentials: { accessKeyId: string; secretAccessKey: string }) => ({
  settings: KubernetesSettings.parse({}),
  deployment: {},
  access: {},
  allSettings: { aws: awsSettings() },
  allDeployments: undefined,
  allAccess: { aws: { credentials } },
  now: () => new Date(),
});

describe('EKS through an access entry', () => {
  it('reads the cluster as the IAM identity the access entry maps, with a presigned STS token', async () => {
    const { connection, read } = await readCluster(eksScope, contextFor(reader));
    expect(connection).toMatchObject({ cluster: 'prod', distribution: 'eks', server: api.url, account, region });
    expect(read.errors).toEqual([]);
    expect(read.objects.filter((o) => o.kind === 'Pod').map((o) => `${(o.metadata as { namespace: string }).namespace}/${(o.metadata as { name: string }).name}`).sort()).toEqual(plantedNames.pods);
    expect(authenticator.reviews.at(-1)).toEqual({ authenticated: true, arn: `arn:aws:iam::${account}:user/posture-eks` });
  });

  it('fails the scope, naming the credentials, when the identity has no access entry', async () => {
    await expect(readCluster(eksScope, contextFor(stranger))).rejects.toThrow(/HTTP 401.*access entry/);
    expect(authenticator.reviews.at(-1)).toEqual({ authenticated: false, arn: `arn:aws:iam::${account}:user/no-access-entry` });
  });

  it('hands a public EKS cluster an AWS scope found on as a Kubernetes scope, when kubernetes.discovered is set', async () => {
    const off = new Orchestration({ settings: { aws: awsSettings() }, access: { aws: { credentials: motoCredentials } } });
    expect((await off.collectScope({ provider: 'aws', account, region })).children).toEqual([]);
    const on = new Orchestration({ settings: { aws: awsSettings(), kubernetes: { discovered: true } }, access: { aws: { credentials: motoCredentials } } });
    const collected = await on.collectScope({ provider: 'aws', account, region });
    expect(collected.children).toEqual([eksScope]);
    await Promise.all([off.close(), on.close()]);
    // The sweep queues it as a scope job of its own.
    const sweeper = createScopeSweeper({ settings: { aws: awsSettings(), kubernetes: { discovered: true } }, access: { aws: { credentials: motoCredentials } } });
    const swept = await sweeper.sweep({ v: 1, type: 'scan-scope', cloud: 'aws', account, region, trigger: { source: 'schedule', eventId: 'sweep-eks', at: '2026-11-26T00:00:00Z' } });
    expect(swept.jobs).toContainEqual({ v: 1, type: 'scan-scope', cloud: 'kubernetes', account, region, target: 'eks/prod', trigger: { source: 'scope', eventId: 'sweep-eks', at: '2026-11-26T00:00:00Z' } });
  });
});
