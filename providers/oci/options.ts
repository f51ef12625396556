// What a caller can tune for one collection: platform choice, credentials, caps, transport and timing.
import type { Deadlines, Limits } from './limits.ts';
import type { CredentialProvider } from './registry/credentials.ts';
import type { ImageRun } from './image-run.ts';
import type { SupplyChainOptions } from '../../supply-chain/check-image.ts';

export interface Timeouts extends Partial<Deadlines> {
  /** TCP/TLS connect (ms). */
  connectMs?: number;
  /** Waiting for response headers (ms). */
  headersMs?: number;
  /** Longest silence while a body streams (ms). */
  bodyIdleMs?: number;
}

export interface CollectOptions {
  /** `os/arch[/variant]`; default `linux/amd64`. */
  platform?: string;
  /** Scan every runnable platform of an index instead of one. */
  allPlatforms?: boolean;
  /** Tried in order; the first whose `matches(host)` is true supplies credentials. None → anonymous. */
  credentialProviders?: readonly CredentialProvider[];
  limits?: Partial<Limits>;
  /** Hosts spoken to over plain HTTP (loopback test registries). Everything else is HTTPS. */
  insecureHosts?: readonly string[];
  /** Registry host pattern (`host`, `*.suffix`) → token realm origins, besides the registry's own, that may receive its credentials. */
  tokenRealms?: Readonly<Record<string, readonly string[]>>;
  /** Stream and analyze layers (default true); false reads only manifest and config. */
  analyzeLayers?: boolean;
  signal?: AbortSignal;
  timeouts?: Timeouts;
  /** Retries for 429/5xx and dropped connections (default 4). */
  maxRetries?: number;
  /** Recorded as the asset's `source`. */
  source?: string;
  /** Fixed collection time (tests, reproducible reports). */
  now?: Date;
  /** Shared by every collection of one run: the images-per-run budget, and each manifest analysed once. */
  run?: ImageRun;
  /** Signature policies (posture.yaml supplyChain): registry images a policy covers get their signatures checked. */
  supplyChain?: SupplyChainOptions;
}

export { matchesRegistry } from '../../core/registry-hosts.ts';

/** The collection options posture.yaml's `imageScan` and `registries` sections stand for. */
export function collectOptionsFromConfig(config: {
  imageScan: { deadlines: { manifestSeconds: number; blobSeconds: number; imageSeconds: number }; limits: Partial<Limits> };
  registries: readonly { host: string; tokenRealms: readonly string[] }[];
}): Pick<CollectOptions, 'limits' | 'timeouts' | 'tokenRealms'> {
  const { deadlines, limits } = config.imageScan;
  const realms: Record<string, string[]> = {};
  for (const r of config.registries) if (r.tokenRealms.length) realms[r.host] = [...(realms[r.host] ?? []), ...r.tokenRealms];
  return {
    limits,
    timeouts: { manifestMs: deadlines.manifestSeconds * 1000, blobMs: deadlines.blobSeconds * 1000, imageMs: deadlines.imageSeconds * 1000 },
    tokenRealms: realms,
  };
}
