// What a caller can tune for one collection: platform choice, credentials, caps, transport and timing.
import type { Deadlines, Limits } from './limits.ts';
import type { CredentialProvider } from './registry/credentials.ts';
import type { ImageRun } from './image-run.ts';

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
}
