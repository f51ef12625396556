// The AWS provider: ECR, ECS and EKS per account × region (see provider.ts for what each part means).
import { z } from 'zod';
import { listed, type ProviderDeclaration, type Scope } from '../provider.ts';
import type { AwsCredentials } from './clients.ts';
import { parseEcrHost } from './ecr-host.ts';
import { awsReadActions } from './permissions.ts';
import { AwsSettings } from './settings.ts';

/** The accounts and regions a deployment sweeps, each account reached through its role (none: the deployment's own). */
export const AwsDeployment = z
  .array(
    z
      .object({
        account: z.string().regex(/^\d{12}$/, 'expected a 12-digit account id'),
        /** Role assumed in that account; absent for the deployment's own account. */
        roleArn: z.string().regex(/^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]+$/, 'expected an IAM role ARN').optional(),
        regions: z.array(z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d+$/, 'expected an AWS region name such as eu-west-1')).min(1),
      })
      .strict()
      .refine((a) => !a.roleArn || a.roleArn.split(':')[4] === a.account, 'roleArn must be in the account it scans'),
  )
  .default([]);
export type AwsDeployment = z.infer<typeof AwsDeployment>;

export interface AwsAccess {
  /** Default: the SDK chain (the CLI user, the worker's IAM role). */
  credentials?: AwsCredentials;
  /** Role ARN per account; overrides the deployment's and settings.roleName/rolePath for that account. */
  roles?: Readonly<Record<string, string>>;
}

/** The cross-account roles a deployment may assume: exactly the configured ones. */
export function assumableRoles(deployment: AwsDeployment): string[] {
  return [...new Set(deployment.flatMap((a) => (a.roleArn ? [a.roleArn] : [])))].sort();
}

// Annotated rather than inferred: core/asset.ts reads the registry's ids, and the declaration's type mentions assets.
const AwsSettingsSection = AwsSettings.prefault({});

export const awsProvider: ProviderDeclaration<'aws', AwsSettings, AwsDeployment, AwsAccess, typeof AwsSettingsSection, typeof AwsDeployment> = {
  id: 'aws',
  title: 'AWS',
  settings: AwsSettingsSection,
  deployment: AwsDeployment,
  scopes: {
    fromDeployment: (deployment) => deployment.flatMap((a) => a.regions.map((region): Scope => ({ provider: 'aws', account: a.account, region }))),
    concurrency: (settings) => settings.concurrency.scopes,
  },
  collector: async () => (await import('./collector.ts')).collector,
  registries: {
    kind: 'ecr',
    matches: (host) => parseEcrHost(host) !== null,
    load: async () => (await import('./pull.ts')).pull,
    nativeScan: async () => (await import('./native-scan.ts')).nativeScan,
  },
  events: [
    {
      via: 'eventbridge',
      trigger: 'ecr-push',
      ruleId: 'EcrPushRule',
      description: 'ECR successful pushes → one image scan job',
      pattern: ({ repositoryPrefixes }) => ({
        source: ['aws.ecr'],
        detailType: ['ECR Image Action'],
        detail: {
          'action-type': ['PUSH'],
          result: ['SUCCESS'],
          ...(repositoryPrefixes.length ? { 'repository-name': repositoryPrefixes.map((prefix) => ({ prefix })) } : {}),
        },
      }),
    },
    {
      via: 'eventbridge',
      trigger: 'ecr-scan',
      ruleId: 'EcrScanComplete',
      description: 'ECR basic scan finished → refresh native vulnerability data',
      pattern: () => ({ source: ['aws.ecr'], detailType: ['ECR Image Scan'] }),
    },
    {
      via: 'eventbridge',
      trigger: 'inspector2-scan',
      ruleId: 'InspectorScanComplete',
      description: 'Inspector enhanced scan finished → refresh native vulnerability data',
      pattern: () => ({ source: ['aws.inspector2'], detailType: ['Inspector2 Scan'] }),
    },
  ],
  iam: (deployment) => {
    const roles = assumableRoles(deployment);
    return [
      {
        // Push events and ECR scan refreshes read the deployment's own account even when no scope is swept.
        sid: 'ReadOwnAccountContainers',
        actions: [...awsReadActions],
        resources: ['*'],
      },
      ...(roles.length > 0 ? [{ sid: 'AssumeConfiguredScanRolesOnly', actions: ['sts:AssumeRole'], resources: roles }] : []),
    ];
  },
  cli: {
    options: [
      { flags: '--aws', description: 'collect ECR, ECS and EKS from AWS with the default credential chain' },
      { flags: '--regions <region...>', description: 'AWS regions (default: config, else every enabled region)' },
      { flags: '--accounts <id...>', description: 'AWS member accounts reached by AssumeRole (role from config)' },
    ],
    wanted: (flags) => Boolean(flags.aws),
    settings: (flags, section) => {
      const regions = listed(flags.regions);
      const accounts = listed(flags.accounts);
      return { ...section, ...(regions ? { regions } : {}), ...(accounts ? { accounts } : {}) };
    },
  },
};
