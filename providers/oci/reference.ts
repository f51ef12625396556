// Parses `oci://host/repo:tag`, `oci://host/repo@sha256:…` (and the same without the scheme) into parts.
import type { ImageRef } from '../../core/asset.ts';

const digestPattern = /^sha256:[a-f0-9]{64}$|^sha512:[a-f0-9]{128}$/;
const tagPattern = /^[A-Za-z0-9_][A-Za-z0-9._-]{0,127}$/;
const repoPattern = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*$/;

export interface ParsedReference extends ImageRef {
  /** Host the API is spoken to (differs from `registry` only for Docker Hub). */
  apiHost: string;
}

export function parseReference(input: string): ParsedReference {
  const bad = (why: string): never => {
    throw new Error(`image reference "${input}" is invalid: ${why} (expected oci://host/repository:tag or oci://host/repository@sha256:<hex>)`);
  };
  let rest = input.startsWith('oci://') ? input.slice('oci://'.length) : input;
  let digest: string | null = null;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
    if (!digestPattern.test(digest)) bad(`"${digest}" is not a sha256/sha512 digest`);
  }
  const slash = rest.indexOf('/');
  if (slash <= 0) bad('no registry host');
  const registry = rest.slice(0, slash);
  let repository = rest.slice(slash + 1);
  let tag: string | null = null;
  const colon = repository.lastIndexOf(':');
  if (colon >= 0) {
    tag = repository.slice(colon + 1);
    repository = repository.slice(0, colon);
    if (!tagPattern.test(tag)) bad(`"${tag}" is not a valid tag`);
  }
  if (!/^[A-Za-z0-9.-]+(:\d+)?$|^\[[0-9a-fA-F:]+\](:\d+)?$/.test(registry)) bad(`"${registry}" is not a registry host`);
  if (registry === 'docker.io' && !repository.includes('/')) repository = `library/${repository}`;
  if (!repoPattern.test(repository)) bad(`"${repository}" is not a valid repository name`);
  if (!tag && !digest) tag = 'latest';
  const apiHost = registry === 'docker.io' ? 'registry-1.docker.io' : registry;
  return { registry, repository, tag, digest, apiHost };
}

/** The stable asset id: always pinned to the platform manifest digest. */
export function imageId(registry: string, repository: string, digest: string): string {
  return `oci://${registry}/${repository}@${digest}`;
}
