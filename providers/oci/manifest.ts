// Media types and the wire shapes of OCI / Docker manifests, indexes and image configs, validated by zod
// because they come from a registry or a file we do not trust. Unknown fields pass through untouched.
import { z } from 'zod';
import { ImageScanError } from './errors.ts';

export const MediaTypes = {
  ociManifest: 'application/vnd.oci.image.manifest.v1+json',
  ociIndex: 'application/vnd.oci.image.index.v1+json',
  ociConfig: 'application/vnd.oci.image.config.v1+json',
  dockerManifest: 'application/vnd.docker.distribution.manifest.v2+json',
  dockerManifestList: 'application/vnd.docker.distribution.manifest.list.v2+json',
  dockerConfig: 'application/vnd.docker.container.image.v1+json',
} as const;

export const manifestAccept = [MediaTypes.ociIndex, MediaTypes.ociManifest, MediaTypes.dockerManifestList, MediaTypes.dockerManifest].join(', ');

/** Layer media types we can read; the compression is detected from the bytes, not trusted from the type. */
export const readableLayerTypes = new Set([
  'application/vnd.oci.image.layer.v1.tar',
  'application/vnd.oci.image.layer.v1.tar+gzip',
  'application/vnd.oci.image.layer.v1.tar+zstd',
  'application/vnd.oci.image.layer.nondistributable.v1.tar',
  'application/vnd.oci.image.layer.nondistributable.v1.tar+gzip',
  'application/vnd.oci.image.layer.nondistributable.v1.tar+zstd',
  'application/vnd.docker.image.rootfs.diff.tar.gzip',
  'application/vnd.docker.image.rootfs.foreign.diff.tar.gzip',
  'application/vnd.docker.image.rootfs.diff.tar',
]);

const Digest = z.string().regex(/^sha256:[a-f0-9]{64}$|^sha512:[a-f0-9]{128}$/, 'not a sha256/sha512 digest');

export const Platform = z.looseObject({
  os: z.string(),
  architecture: z.string(),
  variant: z.string().optional(),
  'os.version': z.string().optional(),
});
export type Platform = z.infer<typeof Platform>;

export const Descriptor = z.looseObject({
  mediaType: z.string(),
  digest: Digest,
  size: z.number().int().nonnegative(),
  platform: Platform.optional(),
  annotations: z.record(z.string(), z.string()).optional(),
});
export type Descriptor = z.infer<typeof Descriptor>;

export const ImageManifest = z.looseObject({
  schemaVersion: z.literal(2),
  mediaType: z.string().optional(),
  config: Descriptor,
  layers: z.array(Descriptor),
});
export type ImageManifest = z.infer<typeof ImageManifest>;

export const ImageIndex = z.looseObject({
  schemaVersion: z.literal(2),
  mediaType: z.string().optional(),
  manifests: z.array(Descriptor),
});
export type ImageIndex = z.infer<typeof ImageIndex>;

const StringList = z.array(z.string()).nullish();

export const ImageConfig = z.looseObject({
  created: z.string().optional(),
  architecture: z.string().optional(),
  os: z.string().optional(),
  variant: z.string().optional(),
  config: z
    .looseObject({
      User: z.string().optional(),
      Env: StringList,
      ExposedPorts: z.record(z.string(), z.unknown()).nullish(),
      Healthcheck: z.looseObject({ Test: StringList }).nullish(),
      Labels: z.record(z.string(), z.string()).nullish(),
      Entrypoint: StringList,
      Cmd: StringList,
    })
    .nullish(),
  history: z
    .array(z.looseObject({ created_by: z.string().optional(), empty_layer: z.boolean().optional(), created: z.string().optional() }))
    .optional(),
  rootfs: z.looseObject({ type: z.string(), diff_ids: z.array(z.string()) }).optional(),
});
export type ImageConfig = z.infer<typeof ImageConfig>;

export type ManifestDocument =
  | { kind: 'index'; mediaType: string; index: ImageIndex; raw: unknown }
  | { kind: 'manifest'; mediaType: string; manifest: ImageManifest; raw: unknown };

/** Classifies a manifest body by its declared media type, falling back to its shape (OCI allows mediaType to be absent). */
export function parseManifestDocument(bytes: Buffer, headerType: string | null, where: string): ManifestDocument {
  let raw: unknown;
  try {
    raw = JSON.parse(bytes.toString('utf8'));
  } catch (err) {
    throw new ImageScanError('manifest-invalid', `${where}: manifest is not JSON (${(err as Error).message})`);
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new ImageScanError('manifest-invalid', `${where}: manifest is not a JSON object`);
  const declared = (raw as { mediaType?: unknown }).mediaType;
  const mediaType = typeof declared === 'string' ? declared : (headerType?.split(';')[0]?.trim() ?? '');
  const isIndex = mediaType === MediaTypes.ociIndex || mediaType === MediaTypes.dockerManifestList || (!mediaType && Array.isArray((raw as { manifests?: unknown }).manifests));
  if (isIndex) {
    const parsed = ImageIndex.safeParse(raw);
    if (!parsed.success) throw new ImageScanError('manifest-invalid', `${where}: image index is malformed: ${z.prettifyError(parsed.error)}`);
    return { kind: 'index', mediaType: mediaType || MediaTypes.ociIndex, index: parsed.data, raw };
  }
  if (mediaType && mediaType !== MediaTypes.ociManifest && mediaType !== MediaTypes.dockerManifest) {
    throw new ImageScanError('unsupported-media-type', `${where}: unsupported manifest media type "${mediaType}" (schema1 and artifacts are not images we can analyze)`);
  }
  const parsed = ImageManifest.safeParse(raw);
  if (!parsed.success) throw new ImageScanError('manifest-invalid', `${where}: image manifest is malformed: ${z.prettifyError(parsed.error)}`);
  return { kind: 'manifest', mediaType: mediaType || MediaTypes.ociManifest, manifest: parsed.data, raw };
}

export function parseImageConfig(bytes: Buffer, where: string): { config: ImageConfig; raw: unknown } {
  let raw: unknown;
  try {
    raw = JSON.parse(bytes.toString('utf8'));
  } catch (err) {
    throw new ImageScanError('config-invalid', `${where}: image config is not JSON (${(err as Error).message})`);
  }
  const parsed = ImageConfig.safeParse(raw);
  if (!parsed.success) throw new ImageScanError('config-invalid', `${where}: image config is malformed: ${z.prettifyError(parsed.error)}`);
  return { config: parsed.data, raw };
}
