// A `docker save` archive in the classic format (manifest.json naming a config file and layer tars).
// It has no registry manifest, so one is derived: the layers are uncompressed tars whose digests are
// the config's rootfs.diff_ids, which makes every layer verifiable while it streams.
import { pipeline, type Readable } from 'node:stream';
import { z } from 'zod';
import { decompressStage } from '../analysis/decompress.ts';
import { DigestVerifier, digestOf } from '../digest.ts';
import { ImageScanError } from '../errors.ts';
import type { FetchedManifest, ImageSource } from '../image-source.ts';
import { MediaTypes, parseImageConfig, type Descriptor } from '../manifest.ts';
import type { LocalFiles } from './files.ts';

export const DockerSaveManifest = z.array(
  z.looseObject({ Config: z.string(), RepoTags: z.array(z.string()).nullish(), Layers: z.array(z.string()) }),
).min(1);
export type DockerSaveEntry = z.infer<typeof DockerSaveManifest>[number];

const layerType = 'application/vnd.docker.image.rootfs.diff.tar';

export class DockerArchiveSource implements ImageSource {
  readonly registry = 'local';
  readonly digest: string | null = null;
  /** digest → file in the archive, for the blobs of the derived manifest. */
  private readonly paths = new Map<string, string>();

  constructor(
    private readonly files: LocalFiles,
    private readonly entry: DockerSaveEntry,
    readonly repository: string,
    readonly tag: string | null,
  ) {}

  /** The derived manifest; its digest is the config digest, which `docker images` shows as the image ID. */
  async rootManifest(maxBytes: number): Promise<FetchedManifest> {
    const where = this.files.description;
    const configBytes = await this.files.read(this.entry.Config, maxBytes);
    const configDigest = digestOf(configBytes);
    const { config } = parseImageConfig(configBytes, `${where} ${this.entry.Config}`);
    const diffIds = config.rootfs?.diff_ids ?? [];
    if (diffIds.length !== this.entry.Layers.length) {
      throw new ImageScanError('local-layout-invalid', `${where}: manifest.json lists ${this.entry.Layers.length} layers but the config has ${diffIds.length} diff_ids`);
    }
    this.paths.set(configDigest, this.entry.Config);
    const layers: Descriptor[] = [];
    for (const [i, file] of this.entry.Layers.entries()) {
      const size = await this.files.size(file);
      if (size === null) throw new ImageScanError('local-layout-invalid', `${where}: layer ${file} is missing from the archive`);
      this.paths.set(diffIds[i]!, file);
      layers.push({ mediaType: layerType, digest: diffIds[i]!, size });
    }
    const manifest = { schemaVersion: 2, mediaType: MediaTypes.dockerManifest, config: { mediaType: MediaTypes.dockerConfig, digest: configDigest, size: configBytes.length }, layers };
    return { bytes: Buffer.from(JSON.stringify(manifest)), mediaType: MediaTypes.dockerManifest, digest: configDigest };
  }

  manifest(descriptor: Descriptor): Promise<FetchedManifest> {
    throw new ImageScanError('local-layout-invalid', `${this.files.description}: docker save archives have no manifest ${descriptor.digest}`);
  }

  async blob(descriptor: Descriptor, maxBytes: number): Promise<Buffer> {
    return this.files.read(this.pathOf(descriptor), maxBytes);
  }

  /**
   * Layers here are identified by diff_id (the digest of the uncompressed tar) while the file may be
   * compressed (crane and some exporters gzip it), so the check runs after decompression (and the file's
   * own size says nothing about the tar's); the walker's byte budget still bounds the decompressed size.
   */
  async openBlob(descriptor: Descriptor): Promise<Readable> {
    const file = this.pathOf(descriptor);
    const what = `${this.files.description} ${file}`;
    const stream = await this.files.open(file);
    return pipeline(stream, decompressStage(what), new DigestVerifier(descriptor.digest, null, what), () => {});
  }

  private pathOf(descriptor: Descriptor): string {
    const file = this.paths.get(descriptor.digest);
    if (!file) throw new ImageScanError('local-layout-invalid', `${this.files.description}: no file for ${descriptor.digest}`);
    return file;
  }
}
