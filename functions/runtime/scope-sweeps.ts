// Entry point of the scope collectors, loaded only when a scope job arrives (see scope-loader.ts): the
// cloud SDKs they need (EC2/ECS/EKS/Organizations, Azure ARM, Google Cloud gRPC clients and their
// protos, the Kubernetes client) are several times the size of everything an image job needs, so they stay
// out of its cold start. The collection itself is the orchestration the CLI runs (providers/orchestrate.ts).
import type { ScanImageJob, ScanScopeJob } from '../../core/jobs.ts';
import type { ScanError } from '../../core/scan.ts';
import { Orchestration, type OrchestrationOptions } from '../../providers/orchestrate.ts';
import type { Scope } from '../../providers/provider.ts';
import type { Swept } from './collectors.ts';
import { imageJob, scopeJob } from './scope-jobs.ts';

export function scopeOfJob(job: ScanScopeJob): Scope {
  return { provider: job.cloud, account: job.account, region: job.region, ...(job.target ? { target: job.target } : {}) };
}

/** One orchestration per Lambda container: collectors (clients, assumed roles, tokens) are reused across scope jobs. */
export function createScopeSweeper(options: OrchestrationOptions): { sweep(job: ScanScopeJob): Promise<Swept> } {
  const run = new Orchestration(options);
  return {
    async sweep(job: ScanScopeJob): Promise<Swept> {
      // Throws when the scope cannot even start (no identity): the job fails and SQS retries it.
      const collection = await run.collectScope(scopeOfJob(job));
      const errors: ScanError[] = collection.errors.map((e) => ({ source: e.scope, message: e.message }));
      const jobs: (ScanImageJob | ScanScopeJob)[] = [];
      for (const target of collection.images) {
        try {
          jobs.push(imageJob(job, target.image, target.account, target.region, target.provider));
        } catch (err) {
          errors.push({ source: target.scope, message: (err as Error).message.slice(0, 600) });
        }
      }
      for (const child of collection.children) jobs.push(scopeJob(job, child));
      jobs.sort((a, b) => (a.type === 'scan-image' && b.type === 'scan-image' ? a.image.repository.localeCompare(b.image.repository) : a.type.localeCompare(b.type)));
      return { assets: collection.assets, errors, jobs, scope: { key: collection.key, status: collection.status } };
    },
  };
}
