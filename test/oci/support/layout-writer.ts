// Writes OCI image layouts (oci-layout, index.json, blobs/sha256/…) from layers and a config, the
// format crane pushes from and `posture scan` reads. Used by tests, the sample image and the bench.
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { sha256, type BuiltLayer } from './layers.ts';

export interface ImageSpec {
  layers: BuiltLayer[];
  platform?: { os: string; architecture: string; variant?: string };
  config?: {
    User?: string;
    Env?: string[];
    ExposedPorts?: Record<string, object>;
    Healthcheck?: { Test: string[] };
    Labels?: Record<string, string>;
    Entrypoint?: string[];
    Cmd?: string[];
  };
  created?: string;
  history?: { created_by: string; empty_layer?: boolean }[];
  /** Docker schema2 media types instead of OCI ones. */
  docker?: boolean;
}

export interface WrittenImage {
  manifestDigest: string;
  manifestSize: number;
  manifestMediaType: string;
  configDigest: string;
  platform: { os: string; architecture: string; variant?: string };
}

async function writeBlob(dir: string, bytes: Buffer): Promise<string> {
  const digest = sha256(bytes);
  const folder = join(dir, 'blobs', 'sha256');
  await mkdir(folder, { recursive: true });
  await writeFile(join(folder, digest.slice('sha256:'.length)), bytes);
  return digest;
}

/** Writes the image's blobs into `dir` and returns its manifest descriptor data (no index.json). */
export async function writeImageBlobs(dir: string, spec: ImageSpec): Promise<WrittenImage> {
  const platform = spec.platform ?? { os: 'linux', architecture: 'amd64' };
  const config = {
    created: spec.created ?? '2024-01-01T00:00:00Z',
    architecture: platform.architecture,
    os: platform.os,
    ...(platform.variant ? { variant: platform.variant } : {}),
    config: spec.config ?? {},
    rootfs: { type: 'layers', diff_ids: spec.layers.map((l) => l.diffId) },
    history: spec.history ?? spec.layers.map((_, i) => ({ created_by: `layer ${i}` })),
  };
  const configBytes = Buffer.from(JSON.stringify(config));
  const configDigest = await writeBlob(dir, configBytes);
  for (const l of spec.layers) await writeBlob(dir, l.blob);
  const manifestMediaType = spec.docker ? 'application/vnd.docker.distribution.manifest.v2+json' : 'application/vnd.oci.image.manifest.v1+json';
  const manifest = {
    schemaVersion: 2,
    mediaType: manifestMediaType,
    config: { mediaType: spec.docker ? 'application/vnd.docker.container.image.v1+json' : 'application/vnd.oci.image.config.v1+json', digest: configDigest, size: configBytes.length },
    layers: spec.layers.map((l) => ({ mediaType: l.mediaType, digest: l.digest, size: l.blob.length })),
  };
  const manifestBytes = Buffer.from(JSON.stringify(manifest));
  const manifestDigest = await writeBlob(dir, manifestBytes);
  return { manifestDigest, manifestSize: manifestBytes.length, manifestMediaType, configDigest, platform };
}

/** A layout with one image (`index.json` lists its manifest). Replaces `dir`. */
export async function writeLayout(dir: string, spec: ImageSpec, refName?: string): Promise<WrittenImage> {
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  const image = await writeImageBlobs(dir, spec);
  await writeIndexFile(dir, [{ image, annotations: refName ? { 'org.opencontainers.image.ref.name': refName } : undefined }], false);
  return image;
}

/** A layout holding a multi-platform image: index.json lists each manifest with its platform. */
export async function writeMultiPlatformLayout(dir: string, specs: ImageSpec[]): Promise<WrittenImage[]> {
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  const images: WrittenImage[] = [];
  for (const s of specs) images.push(await writeImageBlobs(dir, s));
  await writeIndexFile(dir, images.map((image) => ({ image })), true);
  return images;
}

async function writeIndexFile(dir: string, entries: { image: WrittenImage; annotations?: Record<string, string> | undefined }[], withPlatform: boolean): Promise<void> {
  const index = {
    schemaVersion: 2,
    mediaType: 'application/vnd.oci.image.index.v1+json',
    manifests: entries.map(({ image, annotations }) => ({
      mediaType: image.manifestMediaType,
      digest: image.manifestDigest,
      size: image.manifestSize,
      ...(withPlatform ? { platform: image.platform } : {}),
      ...(annotations ? { annotations } : {}),
    })),
  };
  await writeFile(join(dir, 'oci-layout'), JSON.stringify({ imageLayoutVersion: '1.0.0' }));
  await writeFile(join(dir, 'index.json'), JSON.stringify(index));
}
