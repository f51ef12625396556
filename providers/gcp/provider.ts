// The Google Cloud provider: GKE and Artifact Registry per project (see ../provider.ts for what each part means).
import type { AuthClient } from 'google-auth-library';
import type { ClientOptions } from 'google-gax';
import { z } from 'zod';
import { listed, type ProviderDeclaration, type Scope } from '../provider.ts';
import { isGoogleRegistryHost } from './registry-credentials.ts';
import { GcpSettings } from './settings.ts';

/** The projects a deployment sweeps. */
export const GcpDeployment = z.array(z.object({ project: z.string().regex(/^[a-z][a-z0-9-]{4,28}[a-z0-9]$/, 'expected a GCP project id') }).strict()).default([]);
export type GcpDeployment = z.infer<typeof GcpDeployment>;

export interface GcpAccess {
  /** Default: Application Default Credentials (an external_account file for AWS federation). */
  authClient?: AuthClient;
  /** Extra google-gax client options per API (e.g. `sslCreds`, `fallback`, `protocol` for stand-ins). */
  clientOptions?: { container?: ClientOptions; artifactRegistry?: ClientOptions; containerAnalysis?: ClientOptions };
}

/**
 * The worker bundle defines this as `./native-scan-gcp.mjs`, the Artifact Analysis reader bundled on its own
 * beside index.mjs (infra/posture-stack.ts): the Grafeas client with google-gax, gRPC and their protos is about
 * 1.8 MB, more than the rest of the image path, and is loaded only when an image from a Google registry arrives.
 * Everywhere else (source, CLI bundle) the reader is imported as a module like the other providers'.
 */
declare const __POSTURE_GCP_NATIVE_SCAN__: string | undefined;

// Annotated rather than inferred: core/asset.ts reads the registry's ids, and the declaration's type mentions assets.
const GcpSettingsSection = GcpSettings.prefault({});

export const gcpProvider: ProviderDeclaration<'gcp', GcpSettings, GcpDeployment, GcpAccess, typeof GcpSettingsSection, typeof GcpDeployment> = {
  id: 'gcp',
  title: 'Google Cloud',
  settings: GcpSettingsSection,
  deployment: GcpDeployment,
  scopes: {
    fromDeployment: (deployment) => deployment.map((p): Scope => ({ provider: 'gcp', account: p.project, region: '' })),
    concurrency: (settings) => settings.concurrency,
  },
  collector: async () => (await import('./collector.ts')).collector,
  registries: {
    kind: 'google',
    matches: isGoogleRegistryHost,
    load: async () => (await import('./pull.ts')).pull,
    nativeScan: async () =>
      (await (typeof __POSTURE_GCP_NATIVE_SCAN__ === 'string' ? (import(__POSTURE_GCP_NATIVE_SCAN__) as Promise<typeof import('./native-scan.ts')>) : import('./native-scan.ts'))).nativeScan,
  },
  events: [{ via: 'webhook', trigger: 'pubsub', method: 'POST', path: '/gcp/pubsub', description: "Pub/Sub push from Artifact Registry's gcr topic (Google-signed OIDC token)" }],
  // The worker federates with its own AWS credentials (a signed GetCallerIdentity request): no IAM action needed.
  iam: () => [],
  cli: {
    options: [{ flags: '--gcp [project...]', description: 'collect GKE and Artifact Registry from Google Cloud (projects from config when none given)' }],
    wanted: (flags) => Boolean(flags.gcp),
    settings: (flags, section) => {
      const projects = listed(flags.gcp);
      return projects ? { ...section, projects } : section;
    },
  },
};
