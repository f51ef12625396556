// Pull credentials for ACR hosts: an Entra token for ACR's audience (federation from AWS when configured)
// exchanged at the login server for a registry refresh token. One credential per run, shared by every host.
import type { TokenCredential } from '@azure/core-auth';
import type { PullModule } from '../provider.ts';
import { azureCredential } from './credentials.ts';
import type { AzureAccess } from './provider.ts';
import { acrCredentials } from './registry-credentials.ts';
import type { AzureSettings } from './settings.ts';

const credentials = new WeakMap<object, TokenCredential>();

export const pull: PullModule<AzureSettings, AzureAccess> = {
  pullCredentials({ settings, access, pulledFrom, insecureHosts }) {
    let credential = access.credential ?? credentials.get(settings);
    if (!credential) {
      credential = azureCredential(settings);
      credentials.set(settings, credential);
    }
    const tenantId = settings.federation?.tenantId;
    return acrCredentials(credential, { ...(tenantId ? { tenantId } : {}), extraHosts: [pulledFrom], insecureHosts });
  },
};
