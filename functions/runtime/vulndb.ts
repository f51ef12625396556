// The worker's vulnerability database: the index the sync function publishes (vulns/db/s3-index.ts),
// downloaded to /tmp on the first image job of a container and opened read-only; later jobs reuse it. After
// `refreshMs` the next job asks S3 whether the manifest changed (a conditional GET, one 304 when not) and
// swaps in the new index. When no index can be had, images are "not evaluated" with the reason, never clean;
// a failed refresh keeps the index already open.
import { readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { S3Client } from '@aws-sdk/client-s3';
import type { Logger } from 'pino';
import { defaultIndexLimits, downloadIndex, readManifest, type IndexLimits, type IndexManifest } from '../../vulns/db/s3-index.ts';
import { VulnStore } from '../../vulns/db/store.ts';
import type { VulnDbHandle } from '../../vulns/enrich.ts';

export interface CloudVulnDbOptions {
  prefix?: string;
  /** Where index files are kept (Lambda: /tmp). */
  dir?: string;
  /** How long an open index is used before the manifest is checked again. */
  refreshMs?: number;
  /** How long "no index" is believed before S3 is asked again. */
  retryMs?: number;
  limits?: IndexLimits;
  now?: () => number;
  log?: Logger;
}

interface Open {
  store: VulnStore;
  file: string;
  manifest: IndexManifest;
  etag: string | null;
}

export class CloudVulnDb {
  private open: Open | null = null;
  private missing: string | null = null;
  private checkedAt = -Infinity;
  private pending: Promise<VulnDbHandle> | null = null;

  constructor(
    private readonly s3: S3Client,
    private readonly bucket: string,
    private readonly options: CloudVulnDbOptions = {},
  ) {}

  private get dir(): string {
    return this.options.dir ?? path.join(os.tmpdir(), 'posture-vulndb');
  }

  /** The database to match with now (one refresh at a time, shared by concurrent jobs). */
  current(): Promise<VulnDbHandle> {
    const now = (this.options.now ?? Date.now)();
    const wait = this.open ? (this.options.refreshMs ?? 15 * 60_000) : (this.options.retryMs ?? 60_000);
    if (now - this.checkedAt < wait) return Promise.resolve(this.handle());
    this.pending ??= this.refresh(now).finally(() => (this.pending = null));
    return this.pending;
  }

  private handle(): VulnDbHandle {
    if (this.open) return { store: this.open.store, file: `s3://${this.bucket}/${this.open.manifest.key}` };
    return { unavailable: this.missing ?? 'the vulnerability index has not been loaded' };
  }

  private async refresh(now: number): Promise<VulnDbHandle> {
    const where = `s3://${this.bucket}/${this.options.prefix ?? 'vulndb/'}`;
    try {
      const got = await readManifest(this.s3, this.bucket, { ...(this.options.prefix ? { prefix: this.options.prefix } : {}), etag: this.open?.etag ?? null, limits: this.options.limits ?? defaultIndexLimits });
      this.checkedAt = now;
      if (got === 'not-modified') return this.handle();
      if (got === null) {
        if (!this.open) this.missing = `no vulnerability index in ${where} yet (the sync function publishes it on its schedule)`;
        return this.handle();
      }
      if (this.open && got.manifest.sha256 === this.open.manifest.sha256) {
        this.open.etag = got.etag;
        return this.handle();
      }
      const file = await downloadIndex(this.s3, this.bucket, got.manifest, this.dir, this.options.limits ?? defaultIndexLimits);
      const store = VulnStore.open(file, { readonly: true });
      const previous = this.open;
      this.open = { store, file, manifest: got.manifest, etag: got.etag };
      this.missing = null;
      this.options.log?.info({ key: got.manifest.key, bytes: got.manifest.bytes, createdAt: got.manifest.createdAt }, 'vulnerability index loaded');
      if (previous) {
        previous.store.close();
        await this.removeOthers(file);
      }
      return this.handle();
    } catch (err) {
      this.checkedAt = now;
      const reason = `the vulnerability index in ${where} could not be loaded: ${(err as Error).message}`;
      if (this.open) this.options.log?.warn({ err }, `${reason}; matching with the index already open`);
      else this.missing = reason;
      return this.handle();
    }
  }

  /** Old index files leave /tmp once replaced (it is small and shared with image layers). */
  private async removeOthers(keep: string): Promise<void> {
    for (const name of await readdir(this.dir).catch(() => [] as string[])) {
      const p = path.join(this.dir, name);
      if (p !== keep && name.startsWith('vulndb-')) await rm(p, { force: true });
    }
  }

  close(): void {
    this.open?.store.close();
    this.open = null;
  }
}
