// Where an image's manifests and blobs come from: a registry or a local layout/tarball. The collector
// above it does not care which; every read is bounded and digest-checked by the source.
import type { Readable } from 'node:stream';
import type { Descriptor } from './manifest.ts';

export interface FetchedManifest {
  bytes: Buffer;
  /** Content-Type as served, if any. */
  mediaType: string | null;
  /** Digest of `bytes` (computed, and checked against the reference when fetched by digest). */
  digest: string;
}

export interface ImageSource {
  /** Registry host for ids (`local` for files). */
  readonly registry: string;
  readonly repository: string;
  readonly tag: string | null;
  /** The digest asked for, if the reference had one. */
  readonly digest: string | null;
  /** Fetches the top-level manifest or index (by tag or digest). */
  rootManifest(maxBytes: number, signal?: AbortSignal): Promise<FetchedManifest>;
  /** Fetches a child manifest of an index, by descriptor. */
  manifest(descriptor: Descriptor, maxBytes: number, signal?: AbortSignal): Promise<FetchedManifest>;
  /** Reads a small blob (the config) whole, verified. */
  blob(descriptor: Descriptor, maxBytes: number, signal?: AbortSignal): Promise<Buffer>;
  /**
   * Streams a blob (a layer) through its digest and size check. The stream and the check are joined so that
   * a failure in either is an error of the returned stream, which the caller must consume or destroy.
   */
  openBlob(descriptor: Descriptor, signal?: AbortSignal): Promise<Readable>;
}
