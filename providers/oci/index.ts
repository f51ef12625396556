// Public API of the OCI provider: pull and analyze images from registries and local files.
export { collectRegistryImage } from './collect-registry.ts';
export { collectLocalImage, looksLikeLocalImage } from './local/collect-local.ts';
export type { CollectOptions, Timeouts } from './options.ts';
export { Deadlines, Limits, resolveDeadlines, resolveLimits } from './limits.ts';
export { ImageRun } from './image-run.ts';
export type { CredentialProvider, RegistryCredentials } from './registry/credentials.ts';
export { staticCredentials } from './registry/credentials.ts';
export { exchangeForRefreshToken, type ExchangeOptions } from './registry/refresh-token-exchange.ts';
export { parseReference, type ParsedReference } from './reference.ts';
export { ImageScanError, RegistryError, scanErrorCodes, type ScanErrorCode } from './errors.ts';
