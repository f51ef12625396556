// EventBridge Scheduler target: keeps the cloud copy of the vulnerability database current. Starts from the
// published index (its sources remember their ETags, so an unchanged OSV archive costs one 304), syncs the
// configured ecosystems, and publishes a new index only when something changed. Workers load it once per
// container (functions/runtime/vulndb.ts).
import { mkdtemp, rename, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { S3Client } from '@aws-sdk/client-s3';
import type { Logger } from 'pino';
import { z } from 'zod';
import { downloadIndex, publishIndex, readManifest, type IndexLimits } from '../vulns/db/s3-index.ts';
import { VulnStore } from '../vulns/db/store.ts';
import { syncAll, type SourceSpec } from '../vulns/db/sync.ts';
import { lazyHandler } from './runtime/lazy.ts';

export const SyncEvent = z.object({ kind: z.literal('vulndb-sync'), executionId: z.string().max(256).optional() }).strict();

export interface VulnDbSyncDeps {
  s3: S3Client;
  bucket: string;
  prefix?: string;
  /** What to sync: the config's ecosystems (OSV archives) and local paths bundled with the function. */
  sources: SourceSpec[];
  /** Scratch space (Lambda: /tmp, sized by the stack's ephemeral storage). */
  workDir?: string;
  limits?: IndexLimits;
  timeoutMs?: number;
  log: Logger;
}

export interface SyncSummary {
  published: boolean;
  key: string | null;
  updated: string[];
  notModified: string[];
  failed: { source: string; error: string }[];
}

export function createVulnDbSyncHandler(deps: VulnDbSyncDeps): (event: unknown) => Promise<SyncSummary> {
  return async (event) => {
    const parsed = SyncEvent.safeParse(event);
    if (!parsed.success) throw new Error(`vulnerability database sync input is not a sync event: ${z.prettifyError(parsed.error)}`);
    const work = await mkdtemp(path.join(deps.workDir ?? os.tmpdir(), 'posture-vulndb-sync-'));
    try {
      const previous = await readManifest(deps.s3, deps.bucket, { ...(deps.prefix ? { prefix: deps.prefix } : {}), ...(deps.limits ? { limits: deps.limits } : {}) });
      const file = path.join(work, 'store.sqlite');
      if (previous && previous !== 'not-modified') {
        await rename(await downloadIndex(deps.s3, deps.bucket, previous.manifest, work, deps.limits), file);
      }
      const store = VulnStore.open(file, { create: true });
      try {
        const outcomes = await syncAll(store, deps.sources, deps.timeoutMs ? { timeoutMs: deps.timeoutMs } : {});
        const summary: SyncSummary = {
          published: false,
          key: previous && previous !== 'not-modified' ? previous.manifest.key : null,
          updated: outcomes.filter((o) => o.status === 'updated').map((o) => o.source),
          notModified: outcomes.filter((o) => o.status === 'not-modified').map((o) => o.source),
          failed: outcomes.filter((o) => o.status === 'failed').map((o) => ({ source: o.source, error: o.error ?? 'failed' })),
        };
        for (const f of summary.failed) deps.log.error({ source: f.source, error: f.error }, 'vulnerability source not synced; its previous data is kept');
        // A run that changed nothing leaves the index (and every worker's copy) as it is.
        if (summary.updated.length > 0 || !summary.key) {
          if (store.sources().length === 0) throw new Error(`no vulnerability source could be synced (${summary.failed.map((f) => `${f.source}: ${f.error}`).join('; ').slice(0, 1000)})`);
          const manifest = await publishIndex(deps.s3, deps.bucket, store, deps.prefix ? { prefix: deps.prefix } : {});
          summary.published = true;
          summary.key = manifest.key;
          deps.log.info({ key: manifest.key, bytes: manifest.bytes, gzipBytes: manifest.gzipBytes, sources: manifest.sources.length }, 'vulnerability index published');
        }
        deps.log.info({ updated: summary.updated.length, notModified: summary.notModified.length, failed: summary.failed.length, published: summary.published }, 'vulnerability database synced');
        return summary;
      } finally {
        store.close();
      }
    } finally {
      await rm(work, { recursive: true, force: true });
    }
  };
}

export const handler = lazyHandler(async () => {
  const { vulnDbSyncDepsFromEnv } = await import('./runtime/wiring/vulndb-sync.ts');
  return createVulnDbSyncHandler(vulnDbSyncDepsFromEnv(process.env));
});
