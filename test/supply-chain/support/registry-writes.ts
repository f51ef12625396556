// What an attacker with push access does to a signature after the fact: uploads altered bytes under a
// new digest and repoints a tag at them. Plain OCI distribution API calls, so no posture code seeds the
// registry that posture then reads.
import { createHash } from 'node:crypto';

export const digestOf = (bytes: Buffer) => `sha256:${createHash('sha256').update(bytes).digest('hex')}`;

export async function putBlob(host: string, repository: string, bytes: Buffer): Promise<string> {
  const digest = digestOf(bytes);
  const start = await fetch(`http://${host}/v2/${repository}/blobs/uploads/`, { method: 'POST' });
  await start.arrayBuffer();
  if (start.status !== 202) throw new Error(`blob upload start: ${start.status}`);
  const location = new URL(start.headers.get('location')!, `http://${host}`);
  location.searchParams.set('digest', digest);
  const put = await fetch(location, { method: 'PUT', body: bytes, headers: { 'content-type': 'application/octet-stream' } });
  await put.arrayBuffer();
  if (put.status !== 201) throw new Error(`blob upload: ${put.status}`);
  return digest;
}

export async function putManifest(host: string, repository: string, reference: string, bytes: Buffer, mediaType: string): Promise<string> {
  const put = await fetch(`http://${host}/v2/${repository}/manifests/${reference}`, { method: 'PUT', body: bytes, headers: { 'content-type': mediaType } });
  const text = await put.text();
  if (put.status !== 201) throw new Error(`manifest put ${reference}: ${put.status} ${text.slice(0, 300)}`);
  return digestOf(bytes);
}

export async function getJson(host: string, repository: string, kind: 'manifests' | 'blobs', reference: string): Promise<Record<string, unknown>> {
  const res = await fetch(`http://${host}/v2/${repository}/${kind}/${reference}`, {
    headers: { accept: 'application/vnd.oci.image.index.v1+json, application/vnd.oci.image.manifest.v1+json' },
  });
  if (res.status !== 200) throw new Error(`get ${kind}/${reference}: ${res.status}`);
  return (await res.json()) as Record<string, unknown>;
}

/**
 * The first layer of the signature artifact behind an image's referrers fallback tag (`sha256-<hex>`), parsed as
 * JSON, and a way to put back rewritten content: the layer is uploaded under its new digest, the artifact
 * manifest re-pushed and the fallback index repointed at it, as an attacker with push access would.
 */
export async function fallbackLayer<T = Record<string, unknown>>(host: string, repository: string, imageDigest: string): Promise<{ content: T; replace(next: T): Promise<void> }> {
  const tag = `sha256-${imageDigest.slice(7)}`;
  const index = await getJson(host, repository, 'manifests', tag);
  const entry = (index.manifests as { digest: string; size: number }[])[0]!;
  const manifest = await getJson(host, repository, 'manifests', entry.digest);
  const layer = (manifest.layers as { digest: string; size: number }[])[0]!;
  const content = (await getJson(host, repository, 'blobs', layer.digest)) as T;
  return {
    content,
    async replace(next) {
      const bytes = Buffer.from(JSON.stringify(next));
      layer.digest = await putBlob(host, repository, bytes);
      layer.size = bytes.length;
      const manifestBytes = Buffer.from(JSON.stringify(manifest));
      entry.digest = await putManifest(host, repository, digestOf(manifestBytes), manifestBytes, 'application/vnd.oci.image.manifest.v1+json');
      entry.size = manifestBytes.length;
      await putManifest(host, repository, tag, Buffer.from(JSON.stringify(index)), 'application/vnd.oci.image.index.v1+json');
    },
  };
}
