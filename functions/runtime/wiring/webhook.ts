// Wiring for the webhook function URL.
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { loadConfig } from '../../../core/config.ts';
import { registryAllowList } from '../../../core/registry-hosts.ts';
import { pubSubVerifier } from '../../auth/google-oidc.ts';
import { defaultMaxBodyBytes, type WebhookDeps } from '../../webhook.ts';
import { envNames, logger, queueFrom, required, type Env } from '../env.ts';
import { CachedSecret, WebhookSecrets } from '../secrets.ts';

export function webhookDepsFromEnv(env: Env): WebhookDeps {
  const audience = env[envNames.pubsubAudience];
  const accounts = (env[envNames.pubsubServiceAccounts] ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  return {
    queue: queueFrom(env),
    secrets: new CachedSecret(new SecretsManagerClient({}), required(env, envNames.webhookSecretArn), WebhookSecrets),
    verifyPubSub: audience && accounts.length > 0 ? pubSubVerifier({ audience, serviceAccounts: accounts }) : undefined,
    acrHeader: (env[envNames.acrHeader] ?? 'authorization').toLowerCase(),
    // Only the registries posture.yaml names may be named by a push (none, without a config file).
    registryAllowed: registryAllowList(loadConfig(env[envNames.configFile]).registries),
    maxBodyBytes: defaultMaxBodyBytes,
    log: logger('webhook'),
  };
}
