// The worker's Google credentials from AWS: ADC must find a valid external_account file, written once.
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { GoogleAuth } from 'google-auth-library';
import { describe, expect, it } from 'vitest';
import { googleExternalAccount, installGoogleExternalAccount } from '../../functions/runtime/google-federation.ts';

const audience = '//iam.googleapis.com/projects/123456789/locations/global/workloadIdentityPools/aws/providers/posture';

describe('Google federation for the worker', () => {
  it('writes the config where ADC looks, and google-auth-library builds an AWS external account client from it', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'posture-gcp-fed-'));
    const env: Record<string, string | undefined> = { POSTURE_GCP_EXTERNAL_ACCOUNT: JSON.stringify(googleExternalAccount(audience, 'sa@p-123456.iam.gserviceaccount.com')) };
    const file = installGoogleExternalAccount(env, dir);
    expect(file).toBe(path.join(dir, 'posture-gcp-external-account.json'));
    expect(env.GOOGLE_APPLICATION_CREDENTIALS).toBe(file);
    expect(statSync(file!).mode & 0o077).toBe(0);
    const client = await new GoogleAuth({ keyFilename: file!, scopes: ['https://www.googleapis.com/auth/cloud-platform'] }).getClient();
    expect(client.constructor.name).toBe('AwsClient');
    expect(JSON.parse(readFileSync(file!, 'utf8'))).toMatchObject({ audience });
  });

  it('leaves an explicit GOOGLE_APPLICATION_CREDENTIALS alone and does nothing when unconfigured', () => {
    expect(installGoogleExternalAccount({ POSTURE_GCP_EXTERNAL_ACCOUNT: '{}', GOOGLE_APPLICATION_CREDENTIALS: '/x.json' })).toBeNull();
    expect(installGoogleExternalAccount({})).toBeNull();
  });

  it('refuses a config that is not an AWS external_account, e.g. a service-account key', () => {
    const key = JSON.stringify({ type: 'service_account', private_key: '-----BEGIN PRIVATE KEY-----', client_email: 'x@y' });
    expect(() => installGoogleExternalAccount({ POSTURE_GCP_EXTERNAL_ACCOUNT: key }, tmpdir())).toThrow(/is not an AWS external_account config/);
    expect(() => installGoogleExternalAccount({ POSTURE_GCP_EXTERNAL_ACCOUNT: 'not json' }, tmpdir())).toThrow(/is not JSON/);
  });
});
