// Registry credentials for ECR: GetAuthorizationToken in the image's own account and region, decoded
// to the Basic pair the registry expects (user `AWS`). Reused until shortly before it expires.
import { GetAuthorizationTokenCommand, type ECRClient } from '@aws-sdk/client-ecr';
import { z } from 'zod';
import type { CredentialProvider, RegistryCredentials } from '../oci/index.ts';

const AuthorizationData = z.object({
  authorizationToken: z.string().min(1),
  expiresAt: z.date().optional(),
});

const refreshMarginMs = 5 * 60_000;

/** Decodes `base64(user:password)`; the password itself is a long base64 string with no colon issues. */
export function decodeAuthorizationToken(token: string): { username: string; password: string } {
  const text = Buffer.from(token, 'base64').toString('utf8');
  const colon = text.indexOf(':');
  if (colon <= 0 || colon === text.length - 1) throw new Error('ECR GetAuthorizationToken returned a token that is not base64("user:password")');
  return { username: text.slice(0, colon), password: text.slice(colon + 1) };
}

/**
 * Supplies credentials for `host` (the ECR registry host, or the configured endpoint that serves it:
 * a VPC endpoint, a FIPS host or a test registry). `registryId` pins the token to one account's registry.
 */
export function ecrCredentialProvider(client: ECRClient, host: string, registryId?: string): CredentialProvider {
  let cached: { credentials: RegistryCredentials; until: number } | undefined;
  let pending: Promise<RegistryCredentials> | undefined;
  const fetchToken = async (): Promise<RegistryCredentials> => {
    const out = await client.send(new GetAuthorizationTokenCommand(registryId ? { registryIds: [registryId] } : {}));
    const data = AuthorizationData.parse(out.authorizationData?.[0]);
    const { username, password } = decodeAuthorizationToken(data.authorizationToken);
    const credentials: RegistryCredentials = { kind: 'basic', username, password };
    const until = (data.expiresAt?.getTime() ?? 0) - refreshMarginMs;
    if (until > Date.now()) cached = { credentials, until };
    return credentials;
  };
  return {
    matches: (h) => h.toLowerCase() === host.toLowerCase(),
    credentials: async () => {
      if (cached && cached.until > Date.now()) return cached.credentials;
      // Concurrent pulls from one registry share a single token request.
      pending ??= fetchToken().finally(() => {
        pending = undefined;
      });
      return pending;
    },
  };
}
