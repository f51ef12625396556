// Pull credentials for Artifact Registry and Container Registry: the caller's own Google access token
// sent as the password of the fixed user `oauth2accesstoken` (the registry's documented Basic scheme,
// also accepted at its token endpoint). The token comes from ADC each time; nothing is stored.
import type { AuthClient } from 'google-auth-library';
import type { CredentialProvider, RegistryCredentials } from '../oci/index.ts';

/** `europe-west1-docker.pkg.dev`, `europe-docker.pkg.dev`, `gcr.io`, `eu.gcr.io`, … */
export function isGoogleRegistryHost(host: string): boolean {
  const name = host.toLowerCase().replace(/:\d+$/, '');
  return /^[a-z0-9-]+-docker\.pkg\.dev$/.test(name) || name === 'gcr.io' || /^[a-z]+\.gcr\.io$/.test(name);
}

export function googleRegistryCredentials(auth: Pick<AuthClient, 'getAccessToken'>, extraHosts: readonly string[] = []): CredentialProvider {
  const extra = new Set(extraHosts.map((h) => h.toLowerCase()));
  return {
    matches: (host) => isGoogleRegistryHost(host) || extra.has(host.toLowerCase()),
    async credentials(host): Promise<RegistryCredentials> {
      const { token } = await auth.getAccessToken();
      if (!token) throw new Error(`no Google access token for ${host} (Application Default Credentials returned none)`);
      return { kind: 'basic', username: 'oauth2accesstoken', password: token };
    },
  };
}
