// Pull credentials for ECR hosts: GetAuthorizationToken in the image's own account and region, under the
// caller's own identity (the worker's role; cross-account pulls rely on the repository policy).
import { ECRClient } from '@aws-sdk/client-ecr';
import type { PullModule } from '../provider.ts';
import { clientConfig, type AwsCredentials } from './clients.ts';
import { ecrCredentialProvider } from './ecr-credentials.ts';
import { parseEcrHost } from './ecr-host.ts';
import type { AwsAccess } from './provider.ts';
import type { AwsSettings } from './settings.ts';

/** An ECR API client for one account's registry in one region, honouring posture.yaml's endpoint and retry settings. */
export function ecrClient(settings: AwsSettings, account: string, region: string, credentials?: AwsCredentials): ECRClient {
  return new ECRClient(clientConfig(settings, 'ecr', account, region, credentials));
}

export const pull: PullModule<AwsSettings, AwsAccess> = {
  pullCredentials({ settings, access, registry, pulledFrom }) {
    const ecr = parseEcrHost(registry);
    if (!ecr) throw new Error(`${registry} is not an ECR registry host`);
    return ecrCredentialProvider(ecrClient(settings, ecr.account, ecr.region, access.credentials), pulledFrom, ecr.account);
  },
};
