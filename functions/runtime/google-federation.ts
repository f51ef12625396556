// Google workload identity federation from Lambda: the stack passes the (secret-free) external_account
// configuration in the environment; google-auth-library's ADC reads it from a file named by
// GOOGLE_APPLICATION_CREDENTIALS, so it is written to /tmp once per cold start. It holds no key: the
// token is minted from the function's own AWS credentials (SigV4-signed GetCallerIdentity).
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import { envNames, type Env } from './env.ts';

export const GoogleExternalAccount = z
  .object({
    type: z.literal('external_account'),
    audience: z.string().regex(/^\/\/iam\.googleapis\.com\/projects\/\d+\/locations\/global\/workloadIdentityPools\/[^/]+\/providers\/[^/]+$/),
    subject_token_type: z.literal('urn:ietf:params:aws:token-type:aws4_request'),
    token_url: z.url(),
    service_account_impersonation_url: z.url().optional(),
    credential_source: z.object({ environment_id: z.literal('aws1'), regional_cred_verification_url: z.string() }).strict(),
  })
  .strict();
export type GoogleExternalAccount = z.infer<typeof GoogleExternalAccount>;

/** The external_account document for a pool provider of type AWS, as Google's docs lay it out. */
export function googleExternalAccount(audience: string, serviceAccount?: string): GoogleExternalAccount {
  return GoogleExternalAccount.parse({
    type: 'external_account',
    audience,
    subject_token_type: 'urn:ietf:params:aws:token-type:aws4_request',
    token_url: 'https://sts.googleapis.com/v1/token',
    ...(serviceAccount
      ? { service_account_impersonation_url: `https://iamcredentials.googleapis.com/v1/projects/-/serviceAccounts/${serviceAccount}:generateAccessToken` }
      : {}),
    // Lambda has no instance metadata: region and credentials come from the function's environment.
    credential_source: { environment_id: 'aws1', regional_cred_verification_url: 'https://sts.{region}.amazonaws.com?Action=GetCallerIdentity&Version=2011-06-15' },
  });
}

/** Makes ADC find the federation config; returns the file written, or null when none is configured. */
export function installGoogleExternalAccount(env: Env, dir = tmpdir()): string | null {
  const raw = env[envNames.gcpExternalAccount];
  if (!raw || env.GOOGLE_APPLICATION_CREDENTIALS) return null;
  let doc: unknown;
  try {
    doc = JSON.parse(raw);
  } catch (err) {
    throw new Error(`environment variable ${envNames.gcpExternalAccount} is not JSON: ${(err as Error).message}`);
  }
  const parsed = GoogleExternalAccount.safeParse(doc);
  if (!parsed.success) throw new Error(`environment variable ${envNames.gcpExternalAccount} is not an AWS external_account config: ${z.prettifyError(parsed.error)}`);
  const file = path.join(dir, 'posture-gcp-external-account.json');
  writeFileSync(file, JSON.stringify(parsed.data), { mode: 0o600 });
  env.GOOGLE_APPLICATION_CREDENTIALS = file;
  return file;
}
