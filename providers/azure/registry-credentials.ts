// Pull credentials for ACR: an Entra ID access token for ACR's audience, traded at the registry's
// /oauth2/exchange for a registry refresh token, which the OCI client's Bearer flow redeems per scope.
// Refresh tokens are kept per registry in memory for their lifetime in this run, never persisted.
import type { TokenCredential } from '@azure/core-auth';
import { isAcrHost } from './acr-host.ts';
import { exchangeForRefreshToken, type CredentialProvider, type RegistryCredentials } from '../oci/index.ts';

/** The audience ACR's data plane accepts Entra ID tokens for. */
export const acrScope = 'https://containerregistry.azure.net/.default';

export { isAcrHost };

export interface AcrCredentialOptions {
  tenantId?: string;
  /** Hosts served like ACR besides *.azurecr.io (custom domains, loopback tests). */
  extraHosts?: readonly string[];
  /** Hosts spoken to over plain HTTP (loopback tests only). */
  insecureHosts?: readonly string[];
}

export function acrCredentials(credential: TokenCredential, options: AcrCredentialOptions = {}): CredentialProvider {
  const extra = new Set((options.extraHosts ?? []).map((h) => h.toLowerCase()));
  const insecure = new Set(options.insecureHosts ?? []);
  const exchanged = new Map<string, Promise<RegistryCredentials>>();
  return {
    matches: (host) => isAcrHost(host) || extra.has(host.toLowerCase()),
    credentials(host) {
      let pending = exchanged.get(host);
      if (!pending) {
        pending = (async () => {
          const token = await credential.getToken(acrScope);
          if (!token) throw new Error(`no Entra ID token for ${acrScope} (needed to pull from ${host})`);
          return exchangeForRefreshToken({ host, accessToken: token.token, ...(options.tenantId ? { tenant: options.tenantId } : {}), insecure: insecure.has(host) });
        })();
        // A failed exchange is retried on the next image rather than remembered.
        pending.catch(() => exchanged.delete(host));
        exchanged.set(host, pending);
      }
      return pending;
    },
  };
}
