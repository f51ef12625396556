// Local image inputs: an OCI layout directory, or a tarball (docker save, classic or OCI-layout style,
// or an OCI archive), optionally gzipped. Identified by shape, not by name.
import { stat } from 'node:fs/promises';
import { basename } from 'node:path';
import type { ImageAsset } from '../../../core/asset.ts';
import { collectFromSource } from '../collect-image.ts';
import { ImageScanError } from '../errors.ts';
import type { ImageSource } from '../image-source.ts';
import { resolveLimits } from '../limits.ts';
import type { CollectOptions } from '../options.ts';
import { DockerArchiveSource, DockerSaveManifest } from './docker-archive-source.ts';
import { DirectoryFiles, TarballFiles, type LocalFiles } from './files.ts';
import { LayoutSource } from './layout-source.ts';

export { looksLikeLocalImage } from './looks-like-image.ts';

const maxIndexBytes = 4 * 1024 * 1024;

export async function collectLocalImage(path: string, options: CollectOptions = {}): Promise<ImageAsset[]> {
  const info = await stat(path).catch(() => null);
  if (!info) throw new Error(`${path}: no such file or directory`);
  const limits = resolveLimits(options.limits);
  const files: LocalFiles = info.isDirectory() ? new DirectoryFiles(path) : await TarballFiles.index(path, { maxInflatedBytes: limits.maxUncompressedBytes });
  try {
    const name = repositoryName(path);
    const sources = await sourcesFor(files, name);
    const assets: ImageAsset[] = [];
    for (const source of sources) assets.push(...(await collectFromSource(source, { ...options, source: options.source ?? path })));
    return assets;
  } finally {
    await files.close();
  }
}

async function sourcesFor(files: LocalFiles, name: string): Promise<ImageSource[]> {
  if ((await files.size('oci-layout')) !== null && (await files.size('index.json')) !== null) {
    return [new LayoutSource(files, name, await refName(files))];
  }
  if ((await files.size('manifest.json')) !== null) {
    let entries;
    try {
      entries = DockerSaveManifest.parse(JSON.parse((await files.read('manifest.json', maxIndexBytes)).toString('utf8')));
    } catch (err) {
      if (err instanceof ImageScanError) throw err;
      throw new ImageScanError('local-layout-invalid', `${files.description}: manifest.json is not a docker save manifest (${(err as Error).message.split('\n')[0]})`);
    }
    return entries.map((e) => {
      const [repo, tag] = splitRepoTag(e.RepoTags?.[0]);
      return new DockerArchiveSource(files, e, repo ?? name, tag);
    });
  }
  throw new ImageScanError('local-layout-invalid', `${files.description}: not a container image: neither an OCI image layout (oci-layout + index.json) nor a docker save archive (manifest.json)`);
}

/** The tag recorded in the layout, when it names exactly one. */
async function refName(files: LocalFiles): Promise<string | null> {
  try {
    const index = JSON.parse((await files.read('index.json', maxIndexBytes)).toString('utf8')) as { manifests?: { annotations?: Record<string, string> }[] };
    const names = (index.manifests ?? []).map((m) => m.annotations?.['org.opencontainers.image.ref.name']).filter((n): n is string => !!n);
    const name = names.length === 1 ? names[0]! : null;
    return name && /^[A-Za-z0-9_][A-Za-z0-9._-]{0,127}$/.test(name) ? name : null;
  } catch {
    return null;
  }
}

/** A file or directory name made into a valid repository name for the asset id. */
function repositoryName(path: string): string {
  const base = basename(path.replace(/\/+$/, '')).replace(/\.(tar|tgz|tar\.gz)$/i, '');
  const cleaned = base.toLowerCase().replace(/[^a-z0-9._-]+/g, '-').replace(/^[^a-z0-9]+|[^a-z0-9]+$/g, '');
  return cleaned || 'image';
}

function splitRepoTag(repoTag: string | undefined): [string | null, string | null] {
  if (!repoTag) return [null, null];
  const colon = repoTag.lastIndexOf(':');
  const slash = repoTag.lastIndexOf('/');
  const repo = colon > slash ? repoTag.slice(0, colon) : repoTag;
  const tag = colon > slash ? repoTag.slice(colon + 1) : null;
  const cleaned = repo.toLowerCase().replace(/[^a-z0-9._/-]+/g, '-');
  return [cleaned || null, tag];
}

/** A tar has "ustar" at byte 257; a gzip starts 1f 8b (we then look inside when indexing). */
