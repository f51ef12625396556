// The assets the real normalizers produce from each provider's fixtures. The policy build checks
// every rule's inputs against them (policies/contracts/gate.ts): a rule that reads a field no
// normalizer produces fails the build. A new provider, asset kind or input shape is one entry (or one
// more fixture) here; keep the fixtures realistic (written from the API references), not minimal.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Asset } from '../../core/asset.ts';
import { normalizeEcrRegistry } from '../../providers/aws/normalize/ecr-registry.ts';
import { normalizeEcrRepository } from '../../providers/aws/normalize/ecr-repository.ts';
import { normalizeEcsCluster } from '../../providers/aws/normalize/ecs-cluster.ts';
import { normalizeService } from '../../providers/aws/normalize/ecs-service.ts';
import { normalizeAcrRegistry } from '../../providers/azure/normalize-acr.ts';
import { normalizeAksCluster } from '../../providers/azure/normalize-aks.ts';
import { normalizeArtifactRegistryRepository } from '../../providers/gcp/normalize-artifact-registry.ts';
import { normalizeGkeCluster } from '../../providers/gcp/normalize-gke.ts';
import { normalizeKubernetesObjects } from '../../providers/kubernetes/normalize/index.ts';
import { collectLocal } from '../../providers/local/collect.ts';
import { collectLocalImage, looksLikeLocalImage } from '../../providers/oci/index.ts';
import { repoRoot } from '../layout.ts';
import { CapturedRepository } from './captured-registry.ts';

export interface ProviderFixtures {
  /** The provider (or input family) these fixtures stand for, named in gate errors. */
  provider: string;
  /** Assets made by the provider's real normalizers; never hand-written asset documents. */
  assets(): Promise<Asset[]>;
}

const ctx = { collectedAt: '2026-01-15T10:00:00.000Z', source: 'contract fixture' };
const fixturesDir = path.join(repoRoot, 'policies', 'contracts', 'fixtures');

/** Local exports (the `posture scan <file>` path): every JSON file under the directories, each normalized by its shape. */
async function local(...dirs: string[]): Promise<Asset[]> {
  const { assets, errors } = await collectLocal(dirs, { now: new Date(ctx.collectedAt) });
  if (errors.length) throw new Error(`contract fixtures could not be read: ${errors.map((e) => e.message).join('; ')}`);
  return assets;
}

export const contractFixtures: ProviderFixtures[] = [
  {
    provider: 'aws',
    assets: async () => [
      ...(await local(path.join(repoRoot, 'samples', 'aws'), path.join(fixturesDir, 'aws'))),
      // The API collector reads each service's cluster (DescribeClusters with SETTINGS and CONFIGURATIONS).
      ...(JSON.parse(await readFile(path.join(repoRoot, 'samples', 'aws', 'ecs-services.json'), 'utf8')) as { services: unknown[] }).services.map((service) =>
        normalizeService(
          {
            service,
            cluster: {
              clusterArn: 'arn:aws:ecs:eu-west-1:111122223333:cluster/shop',
              clusterName: 'shop',
              status: 'ACTIVE',
              settings: [{ name: 'containerInsights', value: 'enhanced' }],
              configuration: { executeCommandConfiguration: { kmsKeyId: 'arn:aws:kms:eu-west-1:111122223333:key/0a1b2c3d-0000-4e5f-8a9b-0c1d2e3f4a5b', logging: 'OVERRIDE', logConfiguration: { cloudWatchLogGroupName: '/ecs/exec', cloudWatchEncryptionEnabled: true } } },
              capacityProviders: ['FARGATE', 'FARGATE_SPOT'],
            },
          },
          ctx,
        ),
      ),
      // ECS clusters as the API collector reads them: DescribeClusters (SETTINGS, CONFIGURATIONS, TAGS), the
      // cluster's DescribeCapacityProviders answers and its services' ECS Exec flags.
      normalizeEcsCluster(
        {
          cluster: {
            clusterArn: 'arn:aws:ecs:eu-west-1:111122223333:cluster/shop',
            clusterName: 'shop',
            status: 'ACTIVE',
            runningTasksCount: 4,
            activeServicesCount: 2,
            settings: [{ name: 'containerInsights', value: 'enhanced' }],
            capacityProviders: ['FARGATE', 'shop-asg'],
            configuration: {
              executeCommandConfiguration: { kmsKeyId: 'arn:aws:kms:eu-west-1:111122223333:key/0a1b2c3d-0000-4e5f-8a9b-0c1d2e3f4a5b', logging: 'OVERRIDE', logConfiguration: { cloudWatchLogGroupName: '/ecs/exec', cloudWatchEncryptionEnabled: true } },
              managedStorageConfiguration: { fargateEphemeralStorageKmsKeyId: 'arn:aws:kms:eu-west-1:111122223333:key/0a1b2c3d-0000-4e5f-8a9b-0c1d2e3f4a5b' },
            },
            tags: [{ key: 'data-classification', value: 'personal' }],
          },
          include: ['SETTINGS', 'CONFIGURATIONS', 'TAGS'],
          capacityProviders: [
            {
              capacityProviderArn: 'arn:aws:ecs:eu-west-1:111122223333:capacity-provider/shop-asg',
              name: 'shop-asg',
              status: 'ACTIVE',
              autoScalingGroupProvider: { autoScalingGroupArn: 'arn:aws:autoscaling:eu-west-1:111122223333:autoScalingGroup:0a1b2c3d-0000-4e5f-8a9b-0c1d2e3f4a5b:autoScalingGroupName/shop', managedScaling: { status: 'ENABLED', targetCapacity: 90 }, managedTerminationProtection: 'ENABLED' },
            },
          ],
          services: [
            { serviceName: 'web', enableExecuteCommand: false },
            { serviceName: 'ops', enableExecuteCommand: true },
          ],
        },
        ctx,
      ),
      // The registry itself (GetRegistryScanningConfiguration, DescribeRegistry, DescribePullThroughCacheRules, GetRegistryPolicy).
      normalizeEcrRegistry(
        {
          registryId: '111122223333',
          region: 'eu-west-1',
          scanningConfiguration: { scanType: 'ENHANCED', rules: [{ scanFrequency: 'CONTINUOUS_SCAN', repositoryFilters: [{ filter: '*', filterType: 'WILDCARD' }] }] },
          replicationConfiguration: { rules: [{ destinations: [{ region: 'eu-central-1', registryId: '111122223333' }] }] },
          pullThroughCacheRules: [{ ecrRepositoryPrefix: 'ecr-public', upstreamRegistryUrl: 'public.ecr.aws', upstreamRepositoryPrefix: 'docker/library', registryId: '111122223333' }],
          policyText: JSON.stringify({ Version: '2012-10-17', Statement: [{ Sid: 'ReplicateFromPayments', Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::444455556666:root' }, Action: ['ecr:ReplicateImage', 'ecr:CreateRepository'], Resource: 'arn:aws:ecr:eu-west-1:111122223333:repository/*' }] }),
        },
        ctx,
      ),
      // Registry-level answers only the API collector reads (GetRepositoryPolicy, GetLifecyclePolicy,
      // GetRegistryScanningConfiguration, DescribeRegistry).
      normalizeEcrRepository(
        {
          repository: {
            repositoryArn: 'arn:aws:ecr:eu-west-1:111122223333:repository/shop/api',
            repositoryName: 'shop/api',
            repositoryUri: '111122223333.dkr.ecr.eu-west-1.amazonaws.com/shop/api',
            registryId: '111122223333',
            imageTagMutability: 'IMMUTABLE',
            imageScanningConfiguration: { scanOnPush: true },
            encryptionConfiguration: { encryptionType: 'KMS', kmsKey: 'arn:aws:kms:eu-west-1:111122223333:key/0a1b2c3d-0000-4e5f-8a9b-0c1d2e3f4a5b' },
          },
          tags: [{ Key: 'data-classification', Value: 'personal' }],
          policyText: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111122223333:root' }, Action: ['ecr:BatchGetImage'] }] }),
          lifecyclePolicyText: JSON.stringify({ rules: [{ rulePriority: 1, selection: { tagStatus: 'untagged', countType: 'sinceImagePushed', countUnit: 'days', countNumber: 14 }, action: { type: 'expire' } }] }),
          scanningConfiguration: { scanType: 'ENHANCED', rules: [{ scanFrequency: 'CONTINUOUS_SCAN', repositoryFilters: [{ filter: '*', filterType: 'WILDCARD' }] }] },
          replicationConfiguration: { rules: [{ destinations: [{ region: 'eu-central-1', registryId: '111122223333' }] }] },
        },
        ctx,
      ),
    ],
  },
  {
    provider: 'azure',
    assets: async () => {
      const { hardenedAks, weakAks, auditSetting, premiumAcr, basicAcr, replication } = await import('../../test/azure/support/arm-bodies.ts');
      return [
        ...(await local(path.join(repoRoot, 'samples', 'azure'))),
        normalizeAksCluster({ resource: hardenedAks, diagnosticSettings: [auditSetting(hardenedAks.id)] }, ctx),
        normalizeAksCluster({ resource: weakAks, diagnosticSettings: [] }, ctx),
        normalizeAcrRegistry({ resource: premiumAcr, replications: [replication(premiumAcr.id, 'northeurope')] }, ctx),
        normalizeAcrRegistry({ resource: basicAcr, replications: [] }, ctx),
      ];
    },
  },
  {
    provider: 'gcp',
    assets: async () => {
      const { hardenedCluster, legacyCluster } = await import('../../test/gcp/support/clusters.ts');
      const repository = (name: string, extra: Record<string, unknown>) => ({ name, format: 'DOCKER', registryUri: `${name}`, ...extra });
      return [
        ...(await local(path.join(repoRoot, 'samples', 'gcp'))),
        normalizeGkeCluster({ cluster: hardenedCluster }, ctx),
        normalizeGkeCluster({ cluster: legacyCluster }, ctx),
        normalizeArtifactRegistryRepository(
          {
            repository: repository('projects/proj-alpha/locations/europe-west1/repositories/images', {
              mode: 'STANDARD_REPOSITORY',
              kmsKeyName: 'projects/proj-alpha/locations/europe-west1/keyRings/ar/cryptoKeys/images',
              dockerConfig: { immutableTags: true },
              cleanupPolicies: { 'delete-untagged': { id: 'delete-untagged', action: 'DELETE', condition: { tagState: 'UNTAGGED' } } },
              vulnerabilityScanningConfig: { enablementConfig: 'INHERITED', enablementState: 'SCANNING_ACTIVE' },
              labels: { 'data-classification': 'personal' },
            }),
            iamPolicy: { bindings: [{ role: 'roles/artifactregistry.reader', members: ['serviceAccount:nodes@proj-alpha.iam.gserviceaccount.com'] }] },
          },
          ctx,
        ),
        normalizeArtifactRegistryRepository(
          {
            repository: repository('projects/proj-alpha/locations/europe/repositories/dockerhub', {
              mode: 'REMOTE_REPOSITORY',
              remoteRepositoryConfig: { dockerRepository: { publicRepository: 'DOCKER_HUB' } },
            }),
            iamPolicy: { bindings: [] },
          },
          ctx,
        ),
      ];
    },
  },
  {
    provider: 'kubernetes',
    // Manifests as `posture scan DIR` reads them, and a full API read (every ServiceAccount and role in the
    // input) of the rule fixtures' objects: one hardened pod, a variant per flaw, namespaces and RBAC.
    assets: async () => {
      const { namespaceObjects, rbacObjects, workloadObjects } = await import('../../test/fixtures/kubernetes/rule-objects.ts');
      return [
        ...(await local(path.join(repoRoot, 'samples', 'kubernetes'))),
        ...normalizeKubernetesObjects([...workloadObjects, ...namespaceObjects, ...rbacObjects], { cluster: 'lab', collectedAt: ctx.collectedAt, source: ctx.source, complete: true }),
      ];
    },
  },
  {
    provider: 'oci',
    // The demo's sample image, built into a temporary layout, read by the image analyzers and matched
    // against the demo's OSV records (samples/osv) as `posture scan` does.
    assets: async () => {
      const { makeSampleImage } = await import('../../scripts/make-sample-image.ts');
      const { VulnStore } = await import('../../vulns/db/store.ts');
      const { syncSource } = await import('../../vulns/db/sync.ts');
      const { attachVulnerabilities } = await import('../../vulns/enrich.ts');
      const dir = await mkdtemp(path.join(os.tmpdir(), 'posture-contract-image-'));
      try {
        await makeSampleImage(path.join(dir, 'image'));
        if (!(await looksLikeLocalImage(path.join(dir, 'image')))) throw new Error(`sample image at ${dir} is not an image layout`);
        const db = path.join(dir, 'vulndb.sqlite');
        const store = VulnStore.open(db, { create: true });
        try {
          const synced = await syncSource(store, { kind: 'path', path: path.join(repoRoot, 'samples', 'osv') });
          if (synced.status !== 'updated') throw new Error(`samples/osv could not be read: ${synced.error}`);
        } finally {
          store.close();
        }
        // A VEX document from the image's producer: DSA-5532-1 (openssl, CVE-2023-5363) does not affect
        // this image (by digest), read by the loader `scan --vex` uses. So a suppressed match is a field this
        // path fills too; DSA-5514-1 (glibc) stays live.
        const { loadVex } = await import('../../vulns/vex.ts');
        const collected = await collectLocalImage(path.join(dir, 'image'));
        const digest = collected.flatMap((a) => (a.kind === 'image' ? [a.image.digest] : []))[0];
        const vexFile = path.join(dir, 'sample.openvex.json');
        await writeFile(
          vexFile,
          JSON.stringify({
            '@context': 'https://openvex.dev/ns/v0.2.0',
            '@id': 'https://example.com/vex/sample-image',
            author: 'sample image producer',
            timestamp: '2026-01-01T00:00:00Z',
            version: 1,
            statements: [{ vulnerability: { name: 'DSA-5532-1' }, products: [{ '@id': `pkg:oci/sample@${digest}` }], status: 'not_affected', justification: 'vulnerable_code_not_in_execute_path' }],
          }),
        );
        const matched = attachVulnerabilities(collected, db, { vex: loadVex([vexFile]) }).assets;
        // ECR enhanced scanning's answer for the image (DescribeImageScanFindings, as the worker reads it).
        const { fromInspector, mergeNative } = await import('../../vulns/native/findings.ts');
        const scan = JSON.parse(await readFile(path.join(fixturesDir, 'oci', 'ecr-image-scan-findings.json'), 'utf8')) as { imageScanFindings: { enhancedFindings: unknown[] } };
        // Inspector also names a finding's related advisories (relatedVulnerabilities): for CVE-2023-44487, the
        // HTTP/2 rapid reset, in Go's golang.org/x/net (fixed in 0.17.0), GitHub's GHSA-qppj-fm5r-hxr3. So a
        // registry finding's `aliases` are a field this path fills too.
        const related = {
          severity: 'HIGH',
          packageVulnerabilityDetails: {
            vulnerabilityId: 'CVE-2023-44487',
            relatedVulnerabilities: ['GHSA-qppj-fm5r-hxr3'],
            source: 'NVD',
            sourceUrl: 'https://nvd.nist.gov/vuln/detail/CVE-2023-44487',
            vulnerablePackages: [{ name: 'golang.org/x/net', version: '0.15.0', fixedInVersion: '0.17.0', packageManager: 'GOMOD' }],
          },
        };
        const native = fromInspector([...scan.imageScanFindings.enhancedFindings, related]);
        return [...matched.map((a) => (a.kind === 'image' ? mergeNative(a, native) : a)), ...(await partialImage(path.join(dir, 'partial')))];
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    },
  },
  {
    // An image in a registry, signed and attested by cosign v3.1.3 in both forms (Sigstore bundles behind the
    // referrers fallback tag; the legacy .sig and .att tags) with the key cosign.pub, read by the real
    // collector and verifier.
    provider: 'oci-registry',
    assets: async () => {
      const { collectFromSource } = await import('../../providers/oci/collect-image.ts');
      const { attachSignatures } = await import('../../supply-chain/check-image.ts');
      const { TrustCache } = await import('../../supply-chain/trust.ts');
      const { SupplyChainConfig } = await import('../../supply-chain/config.ts');
      const dir = path.join(fixturesDir, 'oci', 'cosign');
      const source = new CapturedRepository(dir, '127.0.0.1:5000', 'contract/app', 'v1');
      const config = SupplyChainConfig.parse({
        policies: [
          {
            name: 'release',
            match: ['**'],
            cosign: { keys: [{ name: 'release', file: path.join(dir, 'cosign.pub') }] },
            attestations: { provenance: { builders: ['https://github.com/acme/**'], sourceRepositories: ['https://github.com/acme/*'] }, sbom: true },
          },
        ],
      });
      const assets = await collectFromSource(source, { now: new Date(ctx.collectedAt), source: 'contract fixture' });
      // The same image judged under a key that signed nothing: every signature and attestation is rejected,
      // so the verifier's `problem` (code and message) is a field this path fills too.
      const { generateKeyPairSync } = await import('node:crypto');
      const stranger = generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).publicKey.export({ type: 'spki', format: 'pem' }).toString();
      const foreign = SupplyChainConfig.parse({ policies: [{ ...config.policies[0], cosign: { keys: [{ name: 'stranger', pem: stranger }] } }] });
      return [...(await attachSignatures(source, assets, { config, trust: new TrustCache() })), ...(await attachSignatures(source, assets, { config: foreign, trust: new TrustCache() }))];
    },
  },
];

/**
 * An image that declares a HEALTHCHECK and whose second layer is damaged on disk (its bytes no longer match
 * their digest): the analyzers record the layer as a scan error and still read the rest, as they do for a
 * registry that breaks off a blob. So the health check and the scan errors are fields the image path fills.
 */
async function partialImage(dir: string): Promise<Asset[]> {
  const { buildLayer } = await import('../../test/oci/support/layers.ts');
  const { writeLayout } = await import('../../test/oci/support/layout-writer.ts');
  const { writeFile } = await import('node:fs/promises');
  const base = await buildLayer([{ path: 'etc/os-release', content: 'NAME="Alpine Linux"\nID=alpine\nVERSION_ID=3.20.3\n' }]);
  const app = await buildLayer([{ path: 'srv/app/server.js', content: 'require("http").createServer((q, r) => r.end("ok")).listen(8080);\n' }]);
  await writeLayout(dir, { layers: [base, app], config: { User: '10001', Healthcheck: { Test: ['CMD', '/srv/app/healthz'] }, Cmd: ['/srv/app/server.js'] } }, 'partial-1.0.0');
  await writeFile(path.join(dir, 'blobs', 'sha256', app.digest.slice('sha256:'.length)), Buffer.from('not the layer that was pushed'));
  return collectLocalImage(dir);
}

/** Every fixture asset, each tagged with the provider entry that made it. */
export async function fixtureAssets(fixtures: readonly ProviderFixtures[] = contractFixtures): Promise<{ provider: string; asset: Asset }[]> {
  const out: { provider: string; asset: Asset }[] = [];
  for (const f of fixtures) for (const asset of await f.assets()) out.push({ provider: f.provider, asset });
  return out;
}
