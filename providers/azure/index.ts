// Public API of the Azure provider.
export { collectAzure, type CollectAzureOptions, type CloudCollection } from './collect.ts';
export { azureCredential, awsWebIdentityAssertion } from './credentials.ts';
export { acrCredentials, acrScope, isAcrHost } from './registry-credentials.ts';
export { normalizeAcrRegistry, acrAllowedRanges } from './normalize-acr.ts';
export { normalizeAksCluster } from './normalize-aks.ts';
export type { CollectionError } from './errors.ts';
