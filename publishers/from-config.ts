// Builds the configured publishers, resolving each secret reference: env var or file locally,
// Secrets Manager in AWS (through an injectable loader). Errors name the config key, never a value.
import { readFile } from 'node:fs/promises';
import { GetSecretValueCommand, SecretsManagerClient, type SecretsManagerClientConfig } from '@aws-sdk/client-secrets-manager';
import type { SecurityHubClientConfig } from '@aws-sdk/client-securityhub';
import type { z } from 'zod';
import { ConfigError } from '../core/config.ts';
import { type PublishConfig, PublishConfig as PublishSchema, type SecretRef } from './config.ts';
import { JiraGroupPublisher } from './jira-group.ts';
import { JiraVulnDesk } from './jira-vuln-desk.ts';
import { ServiceNowVulnDesk } from './servicenow-vuln-desk.ts';
import { GroupedVulnerabilityTickets } from './vuln-tickets.ts';
import { JiraPublisher } from './jira.ts';
import type { Publisher } from './publisher.ts';
import { SecurityHubPublisher } from './securityhub.ts';
import { ServiceNowPublisher } from './servicenow.ts';
import { WebhookPublisher } from './webhook.ts';

/** Returns the SecretString of a Secrets Manager secret. */
export type SecretLoader = (secretArn: string) => Promise<string>;

export function secretsManagerLoader(clientConfig: SecretsManagerClientConfig = {}): SecretLoader {
  let client: SecretsManagerClient | undefined;
  return async (secretArn) => {
    client ??= new SecretsManagerClient(clientConfig);
    const out = await client.send(new GetSecretValueCommand({ SecretId: secretArn }));
    if (out.SecretString === undefined) throw new Error('secret has no SecretString');
    return out.SecretString;
  };
}

export interface PublisherOptions {
  secretLoader?: SecretLoader;
  /** For Security Hub (endpoint/credentials in tests; defaults to the SDK chain). */
  securityHubClientConfig?: SecurityHubClientConfig;
  timeoutMs?: number;
  now?: () => number;
}

async function resolveSecret(ref: SecretRef, key: string, env: NodeJS.ProcessEnv, loader: SecretLoader | undefined): Promise<string> {
  if ('env' in ref) {
    const value = env[ref.env];
    if (!value) throw new ConfigError(`${key}: environment variable ${ref.env} is not set`);
    return value;
  }
  if ('file' in ref) {
    try {
      const value = (await readFile(ref.file, 'utf8')).trim();
      if (!value) throw new Error('file is empty');
      return value;
    } catch (err) {
      throw new ConfigError(`${key}: cannot read secret file ${ref.file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
    }
  }
  if (!loader) throw new ConfigError(`${key}: a Secrets Manager reference needs a secret loader`);
  let text: string;
  try {
    text = await loader(ref.secretArn);
  } catch (err) {
    throw new ConfigError(`${key}: cannot read secret ${ref.secretArn}: ${(err as Error).name}`);
  }
  if (!ref.key) return text;
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    throw new ConfigError(`${key}: secret ${ref.secretArn} is not JSON, so it has no key "${ref.key}"`);
  }
  const value = (doc as Record<string, unknown> | null)?.[ref.key];
  if (typeof value !== 'string' || !value) throw new ConfigError(`${key}: secret ${ref.secretArn} has no string key "${ref.key}"`);
  return value;
}

/** Accepts the whole validated config or just its `publish` section. */
export async function publishersFromConfig(
  config: { publish: PublishConfig | z.input<typeof PublishSchema> } | z.input<typeof PublishSchema>,
  env: NodeJS.ProcessEnv = process.env,
  options: PublisherOptions = {},
): Promise<Publisher[]> {
  const section = config && 'publish' in config ? config.publish : config;
  const parsed = PublishSchema.safeParse(section);
  if (!parsed.success) {
    throw new ConfigError(`publish config is invalid: ${parsed.error.issues.map((i) => `publish.${i.path.join('.')}: ${i.message}`).join('; ')}`);
  }
  const publish = parsed.data;
  const http = { ...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}), ...(options.now ? { now: options.now } : {}) };
  const secret = (ref: SecretRef, key: string) => resolveSecret(ref, key, env, options.secretLoader);
  const publishers: Publisher[] = [];
  if (publish.jira) {
    const token = await secret(publish.jira.apiToken, 'publish.jira.apiToken');
    const jira = publish.jira.grouping === 'rule-asset-group' ? new JiraGroupPublisher(publish.jira, token, http) : new JiraPublisher(publish.jira, token, http);
    publishers.push(publish.jira.vulnerabilityTickets === 'image-severity' ? new GroupedVulnerabilityTickets(new JiraVulnDesk(publish.jira, token, http), jira, publish.jira.project) : jira);
  }
  if (publish.servicenow) {
    const auth = publish.servicenow.auth;
    const credentials =
      'basic' in auth
        ? { kind: 'basic' as const, username: auth.basic.username, password: await secret(auth.basic.password, 'publish.servicenow.auth.basic.password') }
        : { kind: 'oauth' as const, clientId: auth.oauth.clientId, clientSecret: await secret(auth.oauth.clientSecret, 'publish.servicenow.auth.oauth.clientSecret') };
    const servicenow = new ServiceNowPublisher(publish.servicenow, credentials, http);
    publishers.push(
      publish.servicenow.vulnerabilityTickets === 'image-severity' ? new GroupedVulnerabilityTickets(new ServiceNowVulnDesk(publish.servicenow, credentials, http), servicenow, publish.servicenow.table) : servicenow,
    );
  }
  if (publish.webhook) {
    publishers.push(new WebhookPublisher(publish.webhook, await secret(publish.webhook.secret, 'publish.webhook.secret'), http));
  }
  if (publish.securityhub) {
    publishers.push(new SecurityHubPublisher(publish.securityhub, options.securityHubClientConfig ?? {}, options.now));
  }
  return publishers;
}
