// An OCI image layout (index.json + blobs/<alg>/<hex>), in a directory or inside an archive. Blobs are
// checked against their digests exactly as registry blobs are.
import type { Readable } from 'node:stream';
import { DigestVerifier, digestOf, verified, verifyBuffer } from '../digest.ts';
import { ImageScanError } from '../errors.ts';
import type { FetchedManifest, ImageSource } from '../image-source.ts';
import { ImageIndex, MediaTypes, type Descriptor } from '../manifest.ts';
import type { LocalFiles } from './files.ts';

export function blobPath(digest: string): string {
  const [alg, hex] = digest.split(':');
  return `blobs/${alg}/${hex}`;
}

export class LayoutSource implements ImageSource {
  readonly registry = 'local';
  readonly digest: string | null = null;

  constructor(
    private readonly files: LocalFiles,
    readonly repository: string,
    readonly tag: string | null,
  ) {}

  /** A layout's index.json naming exactly one manifest or index stands for that; otherwise the index.json itself is the index. */
  async rootManifest(maxBytes: number): Promise<FetchedManifest> {
    const bytes = await this.files.read('index.json', maxBytes);
    let parsed;
    try {
      parsed = ImageIndex.safeParse(JSON.parse(bytes.toString('utf8')));
    } catch (err) {
      throw new ImageScanError('local-layout-invalid', `${this.files.description}: index.json is not JSON (${(err as Error).message})`);
    }
    if (!parsed.success) throw new ImageScanError('local-layout-invalid', `${this.files.description}: index.json is not an OCI image index`);
    const only = parsed.data.manifests.length === 1 ? parsed.data.manifests[0]! : null;
    if (only) return this.manifest(only, maxBytes);
    return { bytes, mediaType: MediaTypes.ociIndex, digest: digestOf(bytes) };
  }

  async manifest(descriptor: Descriptor, maxBytes: number): Promise<FetchedManifest> {
    const bytes = await this.blob(descriptor, maxBytes);
    return { bytes, mediaType: descriptor.mediaType, digest: descriptor.digest };
  }

  async blob(descriptor: Descriptor, maxBytes: number): Promise<Buffer> {
    const what = `${this.files.description} ${blobPath(descriptor.digest)}`;
    if (descriptor.size > maxBytes) throw new ImageScanError('manifest-too-large', `${what}: declares ${descriptor.size} bytes, over the ${maxBytes}-byte limit`);
    const bytes = await this.files.read(blobPath(descriptor.digest), maxBytes);
    verifyBuffer(bytes, descriptor.digest, what);
    return bytes;
  }

  async openBlob(descriptor: Descriptor): Promise<Readable> {
    const what = `${this.files.description} ${blobPath(descriptor.digest)}`;
    // Destroying the result (stopping early) releases the file too.
    return verified(await this.files.open(blobPath(descriptor.digest)), new DigestVerifier(descriptor.digest, descriptor.size, what));
  }
}
