// Collects an image from a registry: `oci://host/repo:tag` or `oci://host/repo@sha256:…`.
import type { ImageAsset } from '../../core/asset.ts';
import { collectFromSource } from './collect-image.ts';
import { matchesRegistry, type CollectOptions } from './options.ts';
import { parseReference } from './reference.ts';
import { RegistryClient } from './registry/client.ts';
import { HttpClient } from './registry/http.ts';
import { attachSignatures } from '../../supply-chain/check-image.ts';

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
    return options.supplyChain ? await attachSignatures(client, assets, options.supplyChain, options.signal) : assets;
  } finally {
    await http.close();
  }
}
