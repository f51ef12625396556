// Wiring for the webhook function URL.
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
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
    maxBodyBytes: defaultMaxBodyBytes,
    log: logger('webhook'),
  };
}
