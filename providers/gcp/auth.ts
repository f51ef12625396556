// Google credentials from Application Default Credentials: on a laptop the gcloud user, on GCP the
// attached service account, from AWS Lambda an `external_account` file (workload identity federation,
// AWS provider) named by GOOGLE_APPLICATION_CREDENTIALS. Never a service-account key in our config.
import { GoogleAuth, type AuthClient } from 'google-auth-library';

export const cloudPlatformScope = 'https://www.googleapis.com/auth/cloud-platform';

export async function defaultGoogleAuthClient(): Promise<AuthClient> {
  const auth = new GoogleAuth({ scopes: [cloudPlatformScope] });
  try {
    return await auth.getClient();
  } catch (err) {
    throw new Error(`Google Application Default Credentials are not available: ${(err as Error).message}`);
  }
}
