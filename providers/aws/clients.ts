// SDK clients for one account and region: endpoint overrides, FIPS, adaptive retries, and one
// request limiter shared by every client so the whole run keeps a bounded number of calls in flight.
import { EC2Client } from '@aws-sdk/client-ec2';
import { ECRClient } from '@aws-sdk/client-ecr';
import { ECSClient } from '@aws-sdk/client-ecs';
import { EKSClient } from '@aws-sdk/client-eks';
import { IAMClient } from '@aws-sdk/client-iam';
import { OrganizationsClient } from '@aws-sdk/client-organizations';
import { STSClient } from '@aws-sdk/client-sts';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider, MiddlewareStack } from '@smithy/types';
import type { LimitFunction } from 'p-limit';
import type { AwsSettings } from './settings.ts';

export type AwsCredentials = AwsCredentialIdentity | AwsCredentialIdentityProvider | undefined;
export type EndpointService = keyof AwsSettings['endpoints'];

/** One account as the collector reaches it. */
export interface AccountAccess {
  account: string;
  partition: string;
  /** undefined: the SDK's default chain (the caller's own identity). */
  credentials: AwsCredentials;
}

/** `{region}` and `{account}` placeholders filled for one scope. */
export function fillTemplate(template: string, values: { account: string; region: string }): string {
  return template.replaceAll('{region}', values.region).replaceAll('{account}', values.account);
}

/**
 * One AWS SDK client's configuration for an account and region: posture.yaml's endpoint template for the
 * service (stand-ins, VPC endpoints), FIPS, adaptive retries and the attempt bound. Every client posture
 * makes starts from this.
 */
export function clientConfig(settings: AwsSettings, service: EndpointService, account: string, region: string, credentials?: AwsCredentials) {
  const template = settings.endpoints[service];
  return {
    region,
    ...(credentials ? { credentials } : {}),
    ...(template ? { endpoint: fillTemplate(template, { account, region }) } : {}),
    useFipsEndpoint: settings.useFipsEndpoint,
    retryMode: 'adaptive',
    maxAttempts: settings.maxAttempts,
  };
}

export class ClientFactory {
  constructor(
    private readonly settings: AwsSettings,
    private readonly limit: LimitFunction,
  ) {}

  private config(service: EndpointService, access: AccountAccess, region: string) {
    return clientConfig(this.settings, service, access.account, region, access.credentials);
  }

  /** Innermost middleware: each HTTP attempt (retries included) waits for a slot. */
  private attachLimit<I extends object, O extends object>(stack: MiddlewareStack<I, O>): void {
    stack.add((next) => (args) => this.limit(() => next(args)), { step: 'deserialize', priority: 'low', name: 'postureRequestLimit' });
  }

  ecr(access: AccountAccess, region: string): ECRClient {
    const client = new ECRClient(this.config('ecr', access, region));
    this.attachLimit(client.middlewareStack);
    return client;
  }

  ecs(access: AccountAccess, region: string): ECSClient {
    const client = new ECSClient(this.config('ecs', access, region));
    this.attachLimit(client.middlewareStack);
    return client;
  }

  eks(access: AccountAccess, region: string): EKSClient {
    const client = new EKSClient(this.config('eks', access, region));
    this.attachLimit(client.middlewareStack);
    return client;
  }

  ec2(access: AccountAccess, region: string): EC2Client {
    const client = new EC2Client(this.config('ec2', access, region));
    this.attachLimit(client.middlewareStack);
    return client;
  }

  /** IAM is global: `region` only picks the signing region (the account's home region). */
  iam(access: AccountAccess, region: string): IAMClient {
    const client = new IAMClient(this.config('iam', access, region));
    this.attachLimit(client.middlewareStack);
    return client;
  }

  sts(access: AccountAccess, region: string): STSClient {
    const client = new STSClient(this.config('sts', access, region));
    this.attachLimit(client.middlewareStack);
    return client;
  }

  organizations(access: AccountAccess, region: string): OrganizationsClient {
    const client = new OrganizationsClient(this.config('organizations', access, region));
    this.attachLimit(client.middlewareStack);
    return client;
  }
}
