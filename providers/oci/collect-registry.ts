// Collects an image from a registry: `oci://host/repo:tag` or `oci://host/repo@sha256:…`.
import type { ImageAsset } from '../../core/asset.ts';
import { collectFromSource } from './collect-image.ts';
import { matchesRegistry, type CollectOptions } from './options.ts';
import { parseReference } from './reference.ts';
import { RegistryClient } from './registry/client.ts';
import { HttpClient } from './registry/http.ts';

export async function collectRegistryImage(ref: string, options: CollectOptions = {}): Promise<ImageAsset[]> {
  const parsed = parseReference(ref);
  const http = new HttpClient({ timeouts: options.timeouts, maxRetries: options.maxRetries, signal: options.signal });
  try {
    const client = new RegistryClient(parsed, http, {
      credentialProviders: options.credentialProviders,
      insecureHosts: options.insecureHosts,
      tokenRealms: Object.entries(options.tokenRealms ?? {}).flatMap(([pattern, realms]) => (matchesRegistry([pattern], parsed.registry) ? realms : [])),
    });
    const assets = await collectFromSource(client, { ...options, source: options.source ?? ref });
    if (!options.supplyChain) return assets;
    // Loaded only when a signature policy applies, so a plain registry scan does not load the verifiers.
    const { attachSignatures } = await import('../../supply-chain/check-image.ts');
    return await attachSignatures(client, assets, options.supplyChain, options.signal);
  } finally {
    await http.close();
  }
}
