// Public API of the Google Cloud provider.
export { collectGcp, type CollectGcpOptions, type CloudCollection } from './collect.ts';
export { googleRegistryCredentials, isGoogleRegistryHost } from './registry-credentials.ts';
export { normalizeArtifactRegistryRepository } from './normalize-artifact-registry.ts';
export { normalizeGkeCluster } from './normalize-gke.ts';
export type { CollectionError } from './errors.ts';
