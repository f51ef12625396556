// Public API of the AWS provider.
export { collectAws, type AwsCollection, type CollectAwsOptions, type CollectionError } from './collect.ts';
export { ecrCredentialProvider, decodeAuthorizationToken } from './ecr-credentials.ts';
export { ecrRegistryHost, parseEcrHost } from './ecr-host.ts';
