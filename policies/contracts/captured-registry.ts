// A repository captured from a real registry: every manifest and blob by digest (blobs/sha256/<hex>) and the
// tags (tags.json), served to the real collector and signature verifier without a registry process. The
// captured registry had no referrers API, as the CNCF distribution registry the tests run has none.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import type { FetchedManifest } from '../../providers/oci/image-source.ts';
import type { Descriptor } from '../../providers/oci/manifest.ts';
import type { ArtifactSource } from '../../supply-chain/discover.ts';

export class CapturedRepository implements ArtifactSource {
  readonly tag: string | null;
  readonly digest = null;
  private readonly tags: Record<string, string>;

  constructor(
    private readonly dir: string,
    readonly registry: string,
    readonly repository: string,
    tag: string,
  ) {
    this.tag = tag;
    this.tags = JSON.parse(readFileSync(path.join(dir, 'tags.json'), 'utf8')) as Record<string, string>;
  }

  private read(digest: string): Buffer {
    const file = path.join(this.dir, 'blobs', 'sha256', digest.replace(/^sha256:/, ''));
    if (!/^sha256:[0-9a-f]{64}$/.test(digest) || !existsSync(file)) throw new Error(`${this.repository}: ${digest} was not captured`);
    const bytes = readFileSync(file);
    if (`sha256:${createHash('sha256').update(bytes).digest('hex')}` !== digest) throw new Error(`${this.repository}: captured ${digest} does not match its digest`);
    return bytes;
  }

  private fetched(digest: string): FetchedManifest {
    const bytes = this.read(digest);
    return { bytes, mediaType: (JSON.parse(bytes.toString('utf8')) as { mediaType?: string }).mediaType ?? null, digest };
  }

  async rootManifest(): Promise<FetchedManifest> {
    return this.fetched(this.tags[this.tag!]!);
  }
  async manifest(d: Descriptor): Promise<FetchedManifest> {
    return this.fetched(d.digest);
  }
  async blob(d: Descriptor): Promise<Buffer> {
    return this.read(d.digest);
  }
  async openBlob(d: Descriptor): Promise<Readable> {
    return Readable.from([this.read(d.digest)]);
  }
  async manifestByTag(tag: string): Promise<FetchedManifest | null> {
    const digest = this.tags[tag];
    return digest ? this.fetched(digest) : null;
  }
  async referrersPage(): Promise<null> {
    return null;
  }
}
