// `posture scan --aws` as a user runs it: default credential chain from the environment, endpoints from
// posture.yaml, everything else from the real AWS provider talking to moto over loopback.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CreateClusterCommand, EKSClient } from '@aws-sdk/client-eks';
import { CreateRepositoryCommand, ECRClient } from '@aws-sdk/client-ecr';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { motoCredentials, startMoto, type MotoServer } from '../standins/moto.ts';
import { runCli } from './helpers.ts';

let moto: MotoServer;
let config: string;
const saved = { ...process.env };

beforeAll(async () => {
  moto = await startMoto();
  const client = { ...moto.clientConfig, region: 'eu-west-1' };
  await new ECRClient(client).send(new CreateRepositoryCommand({ repositoryName: 'shop/api', imageTagMutability: 'MUTABLE' }));
  // A second region with a repository of its own, for --regions given as a comma list.
  await new ECRClient({ ...moto.clientConfig, region: 'us-east-1' }).send(new CreateRepositoryCommand({ repositoryName: 'shop/batch', imageTagMutability: 'MUTABLE' }));
  await new EKSClient(client).send(
    new CreateClusterCommand({
      name: 'prod',
      roleArn: 'arn:aws:iam::123456789012:role/eks',
      resourcesVpcConfig: { subnetIds: ['subnet-1'], endpointPublicAccess: true, endpointPrivateAccess: false },
    }),
  );
  const dir = mkdtempSync(path.join(tmpdir(), 'posture-cli-aws-'));
  config = path.join(dir, 'posture.yaml');
  const endpoints = ['sts', 'ec2', 'ecr', 'ecs', 'eks'].map((s) => `    ${s}: ${moto.endpoint}`).join('\n');
  writeFileSync(config, `aws:\n  homeRegion: eu-west-1\n  imagesPerRepository: 0\n  endpoints:\n${endpoints}\n`);
  Object.assign(process.env, { AWS_ACCESS_KEY_ID: motoCredentials.accessKeyId, AWS_SECRET_ACCESS_KEY: motoCredentials.secretAccessKey, AWS_REGION: 'eu-west-1' });
});
afterAll(async () => {
  process.env = saved;
  await moto.stop();
});

describe('posture scan --aws', () => {
  it('collects the account with ambient credentials and reports findings on what it found', async () => {
    const run = await runCli(['scan', '--aws', '--regions', 'eu-west-1', '--config', config, '--format', 'json', '--no-history']);
    const report = JSON.parse(run.stdout) as {
      assets: { id: string }[];
      findings: { ruleId: string; assetId: string; frameworks: Record<string, string[]> }[];
      errors: { message: string }[];
      scopes: { key: string; complete: boolean; assets: number }[];
    };
    const ids = report.assets.map((a) => a.id);
    expect(ids).toContain('aws://123456789012/eu-west-1/ecr/repository/shop/api');
    expect(ids).toContain('aws://123456789012/eu-west-1/eks/cluster/prod');
    const eks = report.findings.filter((f) => f.assetId.endsWith('/eks/cluster/prod'));
    expect(eks.some((f) => f.frameworks['aws-fsbp']?.includes('EKS.1'))).toBe(true);
    const ecr = report.findings.filter((f) => f.assetId.endsWith('/ecr/repository/shop/api'));
    expect(ecr.some((f) => f.frameworks['aws-fsbp']?.includes('ECR.2'))).toBe(true);
    // moto has no EKS add-ons API: reported as a collection error for that scope, and the exit code says so.
    expect(run.code).toBe(report.errors.length ? 3 : 0);
    // The one scope asked for, with its completion: partial exactly when something in it could not be read.
    // Its assets: the repository, the registry holding it (its own settings) and the EKS cluster.
    expect(ids).toContain('aws://123456789012/eu-west-1/ecr/registry');
    expect(report.scopes).toEqual([{ key: 'aws/123456789012/eu-west-1', complete: report.errors.length === 0, assets: 3 }]);
  });

  it('takes --regions a,b as --regions a b: both regions collected, each its own scope', async () => {
    const scopesOf = async (regions: string[]) => {
      const run = await runCli(['scan', '--aws', '--regions', ...regions, '--config', config, '--format', 'json', '--no-history']);
      const report = JSON.parse(run.stdout) as { assets: { id: string }[]; scopes: { key: string }[] };
      return { code: run.code, ids: report.assets.map((a) => a.id).filter((id) => id.includes('/ecr/repository/')).sort(), scopes: report.scopes.map((s) => s.key).sort() };
    };
    const comma = await scopesOf(['eu-west-1,us-east-1']);
    expect(comma.ids).toEqual(['aws://123456789012/eu-west-1/ecr/repository/shop/api', 'aws://123456789012/us-east-1/ecr/repository/shop/batch']);
    expect(comma.scopes).toEqual(['aws/123456789012/eu-west-1', 'aws/123456789012/us-east-1']);
    expect(comma.code).not.toBe(2);
    expect(await scopesOf(['eu-west-1', 'us-east-1'])).toEqual(comma);
  });

  it('refuses to start without anything to scan', async () => {
    const run = await runCli(['scan']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/nothing to scan: give a path, an oci:\/\/ image, or --aws/);
  });
});
