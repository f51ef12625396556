// A stand-in for the provider adapters the worker calls: an in-memory estate of real asset documents
// (normalized from the sample exports by the local provider), which tests can change between scans.
// It counts collections so tests can tell whether a redelivery did any work.
import { collectLocal } from '../../../providers/local/collect.ts';
import type { Asset } from '../../../core/asset.ts';
import type { Job, ScanAssetJob, ScanScopeJob, Trigger } from '../../../core/jobs.ts';
import type { Collected, Collectors, Swept } from '../../../functions/runtime/collectors.ts';

export class EstateStandIn implements Collectors {
  readonly assets = new Map<string, Asset>();
  collections = 0;
  /** Asset ids whose collection fails as a network error would (the worker must retry those). */
  readonly unreachable = new Set<string>();

  static async fromSamples(paths: string[]): Promise<EstateStandIn> {
    const estate = new EstateStandIn();
    const { assets, errors } = await collectLocal(paths, { now: new Date('2026-01-01T00:00:00Z') });
    if (errors.length) throw new Error(`sample inputs failed: ${errors.map((e) => e.message).join('; ')}`);
    for (const a of assets) estate.assets.set(a.id, a);
    return estate;
  }

  /** Scopes (`cloud/account`) where every read is refused, as an AccessDenied on the whole scope would be. */
  readonly refusedScopes = new Set<string>();

  async sweep(job: ScanScopeJob): Promise<Swept> {
    this.collections += 1;
    if (this.refusedScopes.has(`${job.cloud}/${job.account}`)) {
      return { assets: [], errors: [{ source: `${job.cloud}/${job.account}`, message: 'access denied (AuthorizationFailed)' }], jobs: [], scope: { key: `${job.cloud}/${job.account}`, status: 'failed' } };
    }
    const trigger: Trigger = { source: 'scope', eventId: job.trigger.eventId, at: job.trigger.at };
    const inScope = [...this.assets.values()].filter((a) => a.provider === job.cloud && a.account === job.account && (!job.region || a.region === job.region));
    return {
      assets: inScope.filter((a) => a.kind !== 'image').map((a) => structuredClone(a)),
      errors: [],
      scope: { key: `${job.cloud}/${job.account}${job.region ? `/${job.region}` : ''}`, status: 'complete' },
      jobs: inScope.flatMap((a): Job[] =>
        a.kind === 'image' ? [{ v: 1, type: 'scan-image', cloud: job.cloud, account: a.account, region: a.region, trigger, image: { ...a.image.reference, digest: a.image.digest, tag: null } }] : [],
      ),
    };
  }

  async collect(job: Parameters<Collectors['collect']>[0]): Promise<Collected> {
    if (job.type !== 'scan-asset') throw new Error(`stand-in estate only holds configuration assets, not ${job.type}`);
    this.collections += 1;
    if (this.unreachable.has(job.asset.id)) throw new Error(`connect ECONNREFUSED while reading ${job.asset.id}`);
    const asset = this.assets.get(job.asset.id);
    return asset ? { assets: [structuredClone(asset)], errors: [] } : { assets: [], errors: [{ source: job.asset.id, message: 'asset no longer exists' }] };
  }
}

export function assetJob(asset: Asset, trigger: Trigger): ScanAssetJob {
  return {
    v: 1,
    type: 'scan-asset',
    cloud: asset.provider === 'oci' || asset.provider === 'kubernetes' ? 'aws' : asset.provider,
    account: asset.account,
    region: asset.region,
    asset: { kind: asset.kind as ScanAssetJob['asset']['kind'], id: asset.id, locator: {} },
    trigger,
  };
}
