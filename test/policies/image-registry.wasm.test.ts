// Image and registry rules as a user meets them: image configs in OCI JSON and registry answers in
// ECR / ARM / Artifact Registry names, turned into assets by the real collectors' normalizers where
// they exist, validated by parseAsset, and judged by the compiled Wasm bundle. Catches builtins that
// behave differently under Wasm (regex, glob, json.unmarshal, the host time builtin).
import { beforeAll, describe, expect, it } from 'vitest';
import { parseAsset, type Asset, type ImageContents } from '../../core/asset.ts';
import { parseConfig } from '../../core/config.ts';
import type { Finding } from '../../core/finding.ts';
import { Engine } from '../../policies/engine.ts';
import { normalizeEcrRepository } from '../../providers/aws/normalize/ecr-repository.ts';
import { normalizeTaskDefinition } from '../../providers/aws/normalize/ecs-task-definition.ts';
import { normalizeAcrRegistry } from '../../providers/azure/normalize-acr.ts';
import { buildImageAsset } from '../../providers/oci/build-asset.ts';
import type { ScanErrorEntry } from '../../providers/oci/errors.ts';
import type { ImageConfig, ImageManifest } from '../../providers/oci/manifest.ts';

const now = new Date('2026-11-01T00:00:00Z');
const ctx = { collectedAt: now.toISOString(), source: 'test' };
const trustedConfig = { image: { trustedRegistries: ['shopacr.azurecr.io', '*.dkr.ecr.*.amazonaws.com', 'mirror.gcr.io'] } };

let engine: Engine;
let trusting: Engine;
beforeAll(async () => {
  engine = await Engine.load({ config: parseConfig({}), now });
  trusting = await Engine.load({ config: parseConfig(trustedConfig), now });
});

function findings(asset: Asset, on: Engine = engine): Finding[] {
  return on.evaluate(parseAsset(asset)).filter((f) => /^(IMG|REG)-/.test(f.ruleId));
}

function ruleIds(asset: Asset, on: Engine = engine): string[] {
  return [...new Set(findings(asset, on).map((f) => f.ruleId))].sort();
}

// --- images -------------------------------------------------------------------------------------

const hex = (c: string) => c.repeat(64);
// Assembled so no credential-shaped literal sits in the repository.
const awsKey = ['AKIA', 'Z7QX4N2M8B5K1P3R'].join('');

const noContents: ImageContents = {
  os: { id: 'debian', versionId: '12', prettyName: 'Debian GNU/Linux 12 (bookworm)' },
  packages: [],
  users: [{ name: 'app', uid: 10001, gid: 10001, shell: '/usr/sbin/nologin' }],
  setuidFiles: [],
  worldWritable: [],
  secrets: [],
  shells: [],
  packageManagers: [],
  fileCount: 120,
  uncompressedBytes: 4_000_000,
};

interface ImageInput {
  config: ImageConfig;
  annotations?: Record<string, string>;
  contents: ImageContents | null;
  scanErrors?: ScanErrorEntry[];
  registry?: string;
}

function image({ config, annotations, contents, scanErrors = [], registry = 'shopacr.azurecr.io' }: ImageInput): Asset {
  const manifest: ImageManifest = {
    schemaVersion: 2,
    mediaType: 'application/vnd.oci.image.manifest.v1+json',
    config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: `sha256:${hex('c')}`, size: 1234 },
    layers: [{ mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', digest: `sha256:${hex('d')}`, size: 2_000_000 }],
    ...(annotations ? { annotations } : {}),
  };
  return buildImageAsset({
    registry,
    repository: 'shop/api',
    tag: '1.4.2',
    requestedDigest: null,
    manifestDigest: `sha256:${hex('a')}`,
    manifestMediaType: manifest.mediaType as string,
    manifest,
    rawManifest: manifest,
    config,
    rawConfig: config,
    contents,
    scanErrors,
    collectedAt: now,
  });
}

const hardenedImage = image({
  config: {
    created: '2026-10-20T08:00:00.123456789+02:00',
    architecture: 'amd64',
    os: 'linux',
    config: {
      User: 'app',
      Env: ['PATH=/usr/local/bin:/usr/bin:/bin', 'DB_PASSWORD_FILE=/run/secrets/db'],
      ExposedPorts: { '8080/tcp': {} },
      Healthcheck: { Test: ['CMD', '/app/healthcheck'] },
      Labels: { 'org.opencontainers.image.source': 'https://git.example/shop/api', 'org.opencontainers.image.revision': '4b984b1' },
      Entrypoint: ['/app/api'],
    },
    history: [
      { created_by: '/bin/sh -c #(nop) ADD file:5f1f in / ' },
      { created_by: 'RUN /bin/sh -c apt-get update && apt-get install -y --no-install-recommends ca-certificates # buildkit' },
      { created_by: 'USER app', empty_layer: true },
    ],
  },
  annotations: { 'org.opencontainers.image.base.name': `shopacr.azurecr.io/base/debian:12@sha256:${hex('b')}` },
  contents: noContents,
});

const riskyImage = image({
  registry: 'docker.io',
  config: {
    created: '2025-12-01T00:00:00Z',
    architecture: 'amd64',
    os: 'linux',
    config: {
      Env: ['PATH=/usr/bin', `AWS_ACCESS_KEY_ID=${awsKey}`],
      ExposedPorts: { '22/tcp': {}, '80/tcp': {} },
    },
    history: [
      { created_by: 'RUN /bin/sh -c curl -fsSL https://get.example.sh | bash # buildkit' },
      { created_by: '|1 NPM_TOKEN=abcdef0123456789 /bin/sh -c npm ci' },
    ],
  },
  annotations: { 'org.opencontainers.image.base.name': 'debian' },
  contents: {
    ...noContents,
    users: [{ name: 'root', uid: 0, gid: 0, shell: '/bin/bash' }],
    setuidFiles: [{ path: '/usr/bin/newgrp', mode: 0o104755 }],
    secrets: [{ path: '/root/.ssh/id_rsa', rule: 'private-key', hint: '-----BEGIN OPENSSH PRIVATE KEY-----', layer: 0, inFinalFilesystem: false }],
    packageManagers: ['/usr/bin/apt-get', '/usr/bin/dpkg'],
  },
  scanErrors: [{ code: 'path-traversal', message: 'layer sha256:dd…: entry ../../etc/cron.d/x escapes the root and was skipped' }],
});

describe('image rules under Wasm', () => {
  it('a hardened image passes every image rule, with and without a trusted-registry list', () => {
    expect(ruleIds(hardenedImage)).toEqual([]);
    expect(ruleIds(hardenedImage, trusting)).toEqual([]);
  });

  it('a risky image fails the rules a reviewer would expect', () => {
    expect(ruleIds(riskyImage)).toEqual(['IMG-001', 'IMG-002', 'IMG-005', 'IMG-006', 'IMG-008', 'IMG-010', 'IMG-011', 'IMG-014', 'IMG-015']);
    expect(ruleIds(riskyImage, trusting)).toContain('IMG-009');
  });

  it('never puts a secret value in a finding', () => {
    const all = findings(riskyImage);
    const text = JSON.stringify(all);
    expect(text).not.toContain(awsKey);
    expect(text).not.toContain('abcdef0123456789');
    const secretPaths = all.filter((f) => f.ruleId === 'IMG-002').map((f) => f.path).sort();
    expect(secretPaths).toEqual(['config/env/AWS_ACCESS_KEY_ID', 'config/history/1', 'contents/root/.ssh/id_rsa/private-key']);
  });

  it('computes the age with the host time builtin and the fixed scan time', () => {
    const stale = findings(riskyImage).find((f) => f.ruleId === 'IMG-010');
    expect(stale?.evidence).toEqual({ created: '2025-12-01T00:00:00Z', ageDays: 335, maxAgeDays: 90 });
  });

  it('judges the user literally and skips content rules when layers were not analyzed; a bad created time is not fatal', () => {
    const unanalyzed = image({
      config: { created: 'yesterday-ish', config: { User: 'app', Healthcheck: { Test: ['NONE'] } } },
      contents: null,
      scanErrors: [{ code: 'uncompressed-limit', message: 'layer 2 would exceed 2 GiB uncompressed' }],
    });
    expect(ruleIds(unanalyzed)).toEqual(['IMG-005', 'IMG-008', 'IMG-014']);
  });

  it('a created time that only looks like RFC 3339 does not abort the evaluation of the image', () => {
    for (const created of ['2025-13-45T99:99:99Z', '2016-12-31T23:59:60Z']) {
      const odd = image({ config: { created, config: { User: 'root' } }, contents: null });
      expect(ruleIds(odd)).toEqual(['IMG-001', 'IMG-005', 'IMG-008']);
    }
  });

  it('names the base registry that is not trusted', () => {
    const fromHub = findings(riskyImage, trusting).filter((f) => f.ruleId === 'IMG-009');
    expect(fromHub.map((f) => f.path).sort()).toEqual(['annotations/org.opencontainers.image.base.name', 'reference/registry']);
  });
});

describe('IMG-013 on ECS task definitions', () => {
  const taskDefinition = (images: string[]) => ({
    taskDefinitionArn: 'arn:aws:ecs:eu-west-1:111122223333:task-definition/web:7',
    family: 'web',
    revision: 7,
    containerDefinitions: images.map((image, i) => ({ name: `c${i}`, image })),
  });

  it('fires for each container whose image is not pinned by digest', () => {
    const workload = normalizeTaskDefinition(
      { taskDefinition: taskDefinition([`111122223333.dkr.ecr.eu-west-1.amazonaws.com/web@sha256:${hex('e')}`, 'nginx:latest', 'shopacr.azurecr.io/api:1.4']) },
      ctx,
    );
    const pins = findings(workload).filter((f) => f.ruleId === 'IMG-013');
    expect(pins.map((f) => [f.path, (f.evidence as { latest: boolean }).latest])).toEqual([
      ['containers/c1/image', true],
      ['containers/c2/image', false],
    ]);
  });
});

// --- registries ---------------------------------------------------------------------------------

const repositoryArn = 'arn:aws:ecr:eu-west-1:111122223333:repository/shop/api';
const cmk = 'arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';
const restricted = [{ Key: 'data-classification', Value: 'restricted' }];

function ecr(repository: Record<string, unknown>, extra: Record<string, unknown>): Asset {
  return normalizeEcrRepository({ repository: { repositoryArn, repositoryName: 'shop/api', ...repository }, tags: restricted, ...extra }, ctx);
}

const policy = (statements: unknown[]) => JSON.stringify({ Version: '2012-10-17', Statement: statements });

describe('ECR repositories under Wasm', () => {
  it('a hardened repository that shares pulls with another account passes', () => {
    const repo = ecr(
      {
        imageTagMutability: 'IMMUTABLE',
        imageScanningConfiguration: { scanOnPush: true },
        encryptionConfiguration: { encryptionType: 'KMS', kmsKey: cmk },
      },
      {
        policyText: policy([{ Sid: 'ProdPull', Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::444455556666:root' }, Action: ['ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer'] }]),
        lifecyclePolicyText: JSON.stringify({ rules: [] }),
      },
    );
    expect(ruleIds(repo)).toEqual([]);
  });

  it('a registry-level continuous scanning rule covers a repository with scanOnPush off', () => {
    const covered = ecr(
      { imageTagMutability: 'IMMUTABLE', encryptionConfiguration: { encryptionType: 'KMS', kmsKey: cmk } },
      {
        lifecyclePolicyText: '{}',
        policyText: null,
        scanningConfiguration: { scanType: 'ENHANCED', rules: [{ scanFrequency: 'CONTINUOUS_SCAN', repositoryFilters: [{ filter: 'shop/*', filterType: 'WILDCARD' }] }] },
      },
    );
    expect(ruleIds(covered)).toEqual([]);
  });

  it('API defaults and an open policy fail the expected rules', () => {
    const open = ecr(
      {},
      {
        policyText: policy([
          { Sid: 'Everyone', Effect: 'Allow', Principal: '*', Action: ['ecr:BatchGetImage'] },
          { Sid: 'PartnerPush', Effect: 'Allow', Principal: { AWS: ['arn:aws:iam::444455556666:role/ci'] }, Action: 'ecr:*' },
        ]),
        lifecyclePolicyText: null,
      },
    );
    expect(ruleIds(open)).toEqual(['REG-001', 'REG-003', 'REG-004', 'REG-005', 'REG-007', 'REG-009']);
    const paths = Object.fromEntries(findings(open).map((f) => [f.ruleId, f.path]));
    expect(paths['REG-005']).toBe('policyText/Statement/Everyone');
    expect(paths['REG-009']).toBe('policyText/Statement/PartnerPush');
  });
});

const acrId = '/subscriptions/00000000-1111-2222-3333-444444444444/resourceGroups/rg-shop/providers/Microsoft.ContainerRegistry/registries/shopacr';

/** An ACR registry resource (ARM wire JSON) as the real normalizer reads it. */
function acr(properties: Record<string, unknown>): Asset {
  return normalizeAcrRegistry(
    { resource: { id: acrId, name: 'shopacr', location: 'westeurope', sku: { name: 'Basic', tier: 'Basic' }, tags: { 'data-classification': 'public' }, properties } },
    ctx,
  );
}

describe('ACR and Artifact Registry under Wasm', () => {
  it('a Basic ACR with defaults fails network, private path, export and admin rules', () => {
    const basic = acr({ loginServer: 'shopacr.azurecr.io', adminUserEnabled: true, anonymousPullEnabled: true });
    expect(ruleIds(basic)).toEqual(['REG-005', 'REG-006', 'REG-008', 'REG-009']);
    expect(findings(basic).filter((f) => f.ruleId === 'REG-005').map((f) => f.path).sort()).toEqual(['anonymousPullEnabled', 'publicNetworkAccess']);
  });

  it('a locked-down ACR passes', () => {
    const locked = acr(
      {
        adminUserEnabled: false,
        publicNetworkAccess: 'Disabled',
        policies: { exportPolicy: { status: 'disabled' } },
        privateEndpointConnections: [{ id: `${acrId}/privateEndpointConnections/pe`, properties: { privateLinkServiceConnectionState: { status: 'Approved' } } }],
      },
    );
    expect(ruleIds(locked)).toEqual([]);
  });

  it('an Artifact Registry remote repository proxying Docker Hub fails REG-010 once an allow-list exists', () => {
    const remote: Asset = {
      id: 'gcp://shop-prod/europe-west1/artifactregistry/repository/hub',
      kind: 'registry',
      provider: 'gcp',
      account: 'shop-prod',
      region: 'europe-west1',
      jurisdiction: 'EU',
      tags: { 'data-classification': 'public' },
      collectedAt: ctx.collectedAt,
      rawForm: 'gcp-api',
      raw: {
        repository: {
          name: 'projects/shop-prod/locations/europe-west1/repositories/hub',
          format: 'DOCKER',
          mode: 'REMOTE_REPOSITORY',
          remoteRepositoryConfig: { dockerRepository: { publicRepository: 'DOCKER_HUB' } },
        },
        iamPolicy: { bindings: [{ role: 'roles/artifactregistry.reader', members: ['allUsers'] }] },
      },
      registry: {
        service: 'artifact-registry',
        name: 'hub',
        uri: 'europe-west1-docker.pkg.dev/shop-prod/hub',
        scanOnPush: true,
        tagImmutable: true,
        encryption: { type: 'google-managed', keyId: null },
        publicAccess: true,
        adminUser: null,
        lifecyclePolicy: true,
        replicaLocations: [],
      },
    };
    expect(ruleIds(remote)).toEqual(['REG-005']);
    expect(ruleIds(remote, trusting)).toEqual(['REG-005', 'REG-010']);
  });
});
