// GKE and AKS clusters read with the cloud identity, against the real kube-apiserver:
//  - GKE: google-auth-library's AWS workload identity federation (external_account) exchanges a signed
//    GetCallerIdentity at a loopback Google STS stand-in for an access token; the GKE API stand-in (gRPC, from
//    the real proto) answers clusters.get with the API server's endpoint and CA; the API server knows the
//    access token as the federated service account (static token standing in for GKE's Google authenticator).
//  - AKS: the ARM stand-in answers managedClusters.get and listClusterUserCredential with a user kubeconfig
//    that names the API server and its CA; the Azure credential is asked for a token for the AKS server
//    application and nothing else; the API server knows that token as the identity's object id.
// RBAC inside is the shipped posture-reader ClusterRole in both cases. With `kubernetes.discovered`, the cloud
// scope (GCP project, Azure subscription) hands each public cluster it found on as a Kubernetes scope, as the sweep
// queues it, and that scope reads the cluster.
import * as grpc from '@grpc/grpc-js';
import { stringify } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aksTokenScope } from '../../providers/kubernetes/connect/aks.ts';
import { readCluster } from '../../providers/kubernetes/collector.ts';
import { KubernetesSettings } from '../../providers/kubernetes/settings.ts';
import { Orchestration } from '../../providers/orchestrate.ts';
import { TestTenantCredential } from '../azure/support/test-tenant-credential.ts';
import { federatedAuthClient } from '../gcp/support/federated-auth.ts';
import { startGoogleSts, type GoogleStsStandIn } from '../gcp/support/google-sts.ts';
import { startArmStandIn, type ArmStandIn } from '../standins/arm.ts';
import { startGkeStandIn, type GkeStandIn } from '../standins/gke-grpc.ts';
import { startKubeApiServer, type KubeApiServer } from '../standins/kube-apiserver.ts';
import { plantEstate, plantedNames } from './support/estate.ts';
import { grantPostureReader } from './support/reader.ts';

const audience = '//iam.googleapis.com/projects/123456789/locations/global/workloadIdentityPools/posture/providers/aws';
const googleToken = 'ya29.posture-gke-reader-access-token';
const gkeReader = 'posture@proj-alpha.iam.gserviceaccount.com';
const subscription = '1f0e5b52-3c4d-4e6f-8a9b-0c1d2e3f4a5b';
const armToken = 'arm-audience-token';
const aksToken = 'aks-server-app-token-for-posture';
const aksObjectId = '7f3e8a51-0c0d-4bb6-9a47-2d1c0b9a4e11';

let api: KubeApiServer;
let sts: GoogleStsStandIn;
let gke: GkeStandIn;
let arm: ArmStandIn;

const podsOf = (objects: Record<string, unknown>[]) =>
  objects.filter((o) => o.kind === 'Pod').map((o) => `${(o.metadata as { namespace: string }).namespace}/${(o.metadata as { name: string }).name}`).sort();

const context = (allSettings: Record<string, unknown>, allAccess: Record<string, unknown>) => ({
  settings: KubernetesSettings.parse({}),
  deployment: {},
  access: {},
  allSettings,
  allDeployments: undefined,
  allAccess,
  now: () => new Date(),
});

beforeAll(async () => {
  api = await startKubeApiServer({ tokens: { [googleToken]: { user: gkeReader }, [aksToken]: { user: aksObjectId } } });
  await grantPostureReader(api, { 'gke-reader': { kind: 'User', name: gkeReader }, 'aks-reader': { kind: 'User', name: aksObjectId } });
  await plantEstate(api);

  sts = await startGoogleSts({ audience, accessToken: googleToken });
  const endpoint = new URL(api.url).host; // GKE reports host[:port], posture adds https://
  gke = await startGkeStandIn({
    clusters: { 'proj-alpha': [{ name: 'shop', location: 'europe-west1', endpoint, masterAuth: { clusterCaCertificate: Buffer.from(api.ca).toString('base64') }, status: 'RUNNING' }] },
    denied: ['proj-beta'],
  });

  const clusterId = `/subscriptions/${subscription}/resourceGroups/rg-shop/providers/Microsoft.ContainerService/managedClusters/aks-shop`;
  const userKubeconfig = stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: 'aks-shop', cluster: { server: api.url, 'certificate-authority-data': Buffer.from(api.ca).toString('base64') } }],
    users: [{ name: 'clusterUser_rg-shop_aks-shop', user: { exec: { apiVersion: 'client.authentication.k8s.io/v1beta1', command: 'kubelogin', args: ['get-token', '--server-id', '6dae42f8-4368-4678-94ff-3960e28e3630'] } } }],
    contexts: [{ name: 'aks-shop', context: { cluster: 'aks-shop', user: 'clusterUser_rg-shop_aks-shop' } }],
    'current-context': 'aks-shop',
  });
  arm = await startArmStandIn({
    accessToken: armToken,
    pageSize: 10,
    subscriptions: {
      [subscription]: {
        managedClusters: [{ id: clusterId, name: 'aks-shop', type: 'Microsoft.ContainerService/ManagedClusters', location: 'westeurope', properties: { kubernetesVersion: '1.32.0', fqdn: 'aks-shop.hcp.westeurope.azmk8s.io' } }],
        userKubeconfigs: { [clusterId.toLowerCase()]: userKubeconfig },
      },
    },
  });
}, 240_000);

afterAll(async () => {
  await Promise.allSettled([api?.stop(), sts?.stop(), gke?.stop(), arm?.stop()]);
});

describe('GKE with a Google access token', () => {
  const gcp = () => ({
    settings: {},
    access: {
      authClient: federatedAuthClient(sts.tokenUrl, audience),
      clientOptions: { container: { apiEndpoint: '127.0.0.1', port: gke.port, sslCreds: grpc.credentials.createInsecure() } },
    },
  });

  it('reads the cluster through federation from AWS: clusters.get for endpoint and CA, the access token for the API', async () => {
    const g = gcp();
    const { connection, read } = await readCluster({ provider: 'kubernetes', account: 'proj-alpha', region: 'europe-west1', target: 'gke/europe-west1/shop' }, context({ gcp: g.settings }, { gcp: g.access }));
    expect(connection).toMatchObject({ cluster: 'shop', distribution: 'gke', server: api.url, account: 'proj-alpha', region: 'europe-west1' });
    expect(read.errors).toEqual([]);
    expect(podsOf(read.objects)).toEqual(plantedNames.pods);
    expect(gke.requests).toContain('projects/proj-alpha/locations/europe-west1/clusters/shop');
    expect(sts.exchanges.length).toBeGreaterThan(0);
  });

  it('reads a cluster a GCP scope found when kubernetes.discovered is set: the project scope hands it on, its own scope reads it', async () => {
    const g = gcp();
    const run = new Orchestration({ settings: { gcp: { services: ['gke'] }, kubernetes: { discovered: true, imagesPerCluster: 0 } }, access: { gcp: g.access } });
    try {
      const project = await run.collectScope({ provider: 'gcp', account: 'proj-alpha', region: '' });
      expect(project.children).toEqual([{ provider: 'kubernetes', account: 'proj-alpha', region: 'europe-west1', target: 'gke/europe-west1/shop' }]);
      const cluster = await run.collectScope(project.children[0]!);
      expect(cluster).toMatchObject({ key: 'kubernetes/proj-alpha/europe-west1/gke/europe-west1/shop', status: 'complete', errors: [] });
      expect(cluster.assets.map((a) => a.id)).toContain('k8s://gke:proj-alpha:europe-west1:shop/legacy/Pod/debug-shell');
    } finally {
      await run.close();
    }
  });

  it('fails the scope with Google’s answer when the project refuses clusters.get', async () => {
    const g = gcp();
    await expect(readCluster({ provider: 'kubernetes', account: 'proj-beta', region: 'europe-west1', target: 'gke/europe-west1/shop' }, context({ gcp: g.settings }, { gcp: g.access }))).rejects.toThrow(/PERMISSION_DENIED|container\.clusters\.get/);
  });
});

describe('AKS with an Entra token for the AKS server application', () => {
  it('reads the cluster: the user kubeconfig for endpoint and CA, a token for 6dae42f8-… only', async () => {
    const credential = new TestTenantCredential({ [`${arm.endpoint}/.default`]: armToken, [aksTokenScope]: aksToken });
    const { connection, read } = await readCluster(
      { provider: 'kubernetes', account: subscription, region: 'westeurope', target: 'aks/rg-shop/aks-shop' },
      context({ azure: { endpoint: arm.endpoint, maxRetries: 0 } }, { azure: { credential, tls: { ca: arm.ca } } }),
    );
    expect(connection).toMatchObject({ cluster: 'aks-shop', distribution: 'aks', server: api.url, account: subscription, region: 'westeurope' });
    expect(read.errors).toEqual([]);
    expect(podsOf(read.objects)).toEqual(plantedNames.pods);
    expect(new Set(credential.requestedScopes)).toEqual(new Set([`${arm.endpoint}/.default`, '6dae42f8-4368-4678-94ff-3960e28e3630/.default']));
    expect(arm.requests.map((r) => r.path.toLowerCase())).toContain(`/subscriptions/${subscription}/resourcegroups/rg-shop/providers/microsoft.containerservice/managedclusters/aks-shop/listclusterusercredential`);
  });

  it('reads a cluster an Azure scope found when kubernetes.discovered is set: the subscription scope hands it on, its own scope reads it', async () => {
    const credential = new TestTenantCredential({ [`${arm.endpoint}/.default`]: armToken, [aksTokenScope]: aksToken });
    const run = new Orchestration({
      settings: { azure: { endpoint: arm.endpoint, maxRetries: 0, services: ['aks'] }, kubernetes: { discovered: true, imagesPerCluster: 0 } },
      access: { azure: { credential, tls: { ca: arm.ca } } },
    });
    try {
      const scope = await run.collectScope({ provider: 'azure', account: subscription, region: '' });
      expect(scope.children).toEqual([{ provider: 'kubernetes', account: subscription, region: 'westeurope', target: 'aks/rg-shop/aks-shop' }]);
      const cluster = await run.collectScope(scope.children[0]!);
      expect(cluster).toMatchObject({ key: `kubernetes/${subscription}/westeurope/aks/rg-shop/aks-shop`, status: 'complete', errors: [] });
      expect(cluster.assets.map((a) => a.id)).toContain(`k8s://aks:${subscription}:westeurope:aks-shop/legacy/Pod/debug-shell`);
    } finally {
      await run.close();
    }
  });

  it('fails the scope with the API server’s 401 when the cluster does not accept the Entra token', async () => {
    const credential = new TestTenantCredential({ [`${arm.endpoint}/.default`]: armToken, [aksTokenScope]: 'token-for-some-other-audience' });
    await expect(
      readCluster(
        { provider: 'kubernetes', account: subscription, region: 'westeurope', target: 'aks/rg-shop/aks-shop' },
        context({ azure: { endpoint: arm.endpoint, maxRetries: 0 } }, { azure: { credential, tls: { ca: arm.ca } } }),
      ),
    ).rejects.toThrow(/HTTP 401/);
  });
});
