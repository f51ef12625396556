// The Azure provider: AKS and ACR per subscription (see ../provider.ts for what each part means).
import type { TokenCredential } from '@azure/core-auth';
import { z } from 'zod';
import { listed, type ProviderDeclaration, type Scope } from '../provider.ts';
import { isAcrHost } from './acr-host.ts';
import { AzureSettings } from './settings.ts';

/** The subscriptions a deployment sweeps. */
export const AzureDeployment = z.array(z.object({ subscription: z.guid('an Azure subscription id is a GUID') }).strict()).default([]);
export type AzureDeployment = z.infer<typeof AzureDeployment>;

export interface AzureAccess {
  /** Default: federation from AWS when configured, else DefaultAzureCredential. */
  credential?: TokenCredential;
  /** Extra trusted CAs for ARM (an internal CA, or a loopback stand-in). */
  tls?: { ca: string | string[] };
}

// Annotated rather than inferred: core/asset.ts reads the registry's ids, and the declaration's type mentions assets.
const AzureSettingsSection = AzureSettings.prefault({});

export const azureProvider: ProviderDeclaration<'azure', AzureSettings, AzureDeployment, AzureAccess, typeof AzureSettingsSection, typeof AzureDeployment> = {
  id: 'azure',
  title: 'Azure',
  settings: AzureSettingsSection,
  deployment: AzureDeployment,
  scopes: {
    fromDeployment: (deployment) => deployment.map((s): Scope => ({ provider: 'azure', account: s.subscription.toLowerCase(), region: '' })),
    concurrency: (settings) => settings.concurrency,
  },
  collector: async () => (await import('./collector.ts')).collector,
  registries: {
    kind: 'acr',
    matches: isAcrHost,
    load: async () => (await import('./pull.ts')).pull,
    nativeScan: async () => (await import('./native-scan.ts')).nativeScan,
  },
  events: [
    { via: 'webhook', trigger: 'event-grid', method: 'POST', path: '/azure/event-grid', description: 'Event Grid ImagePushed (Event Grid schema or CloudEvents 1.0)' },
    { via: 'webhook', trigger: 'acr-webhook', method: 'POST', path: '/azure/acr', description: 'ACR classic webhook (shared secret in a custom header)' },
  ],
  // Workload identity federation: AWS mints the JWT that Entra exchanges (outbound web identity).
  iam: (deployment) => (deployment.length > 0 ? [{ sid: 'MintTokenForAzureFederation', actions: ['sts:GetWebIdentityToken'], resources: ['*'] }] : []),
  cli: {
    options: [{ flags: '--azure [subscription...]', description: 'collect AKS and ACR from Azure (subscriptions from config when none given)' }],
    wanted: (flags) => Boolean(flags.azure),
    settings: (flags, section) => {
      const subscriptions = listed(flags.azure);
      return subscriptions ? { ...section, subscriptions } : section;
    },
  },
};
