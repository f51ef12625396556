// Pull credentials for Artifact Registry and Container Registry hosts: the caller's Google access token from
// Application Default Credentials (external_account federation from AWS in Lambda), made once per run.
import type { AuthClient } from 'google-auth-library';
import type { PullModule } from '../provider.ts';
import { defaultGoogleAuthClient } from './auth.ts';
import type { GcpAccess } from './provider.ts';
import { googleRegistryCredentials } from './registry-credentials.ts';
import type { GcpSettings } from './settings.ts';

let adc: Promise<Pick<AuthClient, 'getAccessToken'>> | undefined;

export const pull: PullModule<GcpSettings, GcpAccess> = {
  pullCredentials({ access, pulledFrom }) {
    const auth: Pick<AuthClient, 'getAccessToken'> = {
      getAccessToken: async () => {
        if (access.authClient) return access.authClient.getAccessToken();
        adc ??= defaultGoogleAuthClient();
        adc.catch(() => (adc = undefined));
        return (await adc).getAccessToken();
      },
    };
    return googleRegistryCredentials(auth, [pulledFrom]);
  },
};
