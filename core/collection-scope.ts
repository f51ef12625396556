// A collection scope: a unit a collector sets out to enumerate completely (an AWS account and region, an
// Azure subscription, a GCP project, a Kubernetes cluster, a local directory given as a whole). Only a
// scope whose collection completed without any error can tell that an asset is gone; the state store then
// resolves the findings of the assets it no longer has (core/lifecycle.ts resolveMissingAssets).
import path from 'node:path';
import type { CollectionError } from './collection-errors.ts';

export interface CollectedScope {
  /** `aws/<account>/<region>`, `azure/<subscription>`, `gcp/<project>`, `kubernetes/<cluster>`, `local:<absolute dir>`. */
  key: string;
  /** Every read in the scope succeeded. A partial or failed collection resolves nothing. */
  complete: boolean;
  /**
   * The assets the collection enumerated in the scope. Cloud scopes leave images out: a sweep samples the
   * newest images of each repository, so an older image missing from it has not gone away.
   */
  assetIds: string[];
}

export const awsScopeKey = (account: string, region: string) => `aws/${account}/${region}`;
export const azureScopeKey = (subscription: string) => `azure/${subscription}`;
export const gcpScopeKey = (project: string) => `gcp/${project}`;
export const localScopeKey = (directory: string) => `local:${path.resolve(directory)}`;

/** Whether a collection error happened inside the scope (its path is the scope's or below it). */
export function errorInScope(error: Pick<CollectionError, 'scope'>, key: string): boolean {
  return error.scope === key || error.scope.startsWith(`${key}/`);
}

/**
 * The scopes a cloud collection attempted, each complete only when no error happened in it. An error
 * that belongs to none of them (an organization listing, an asset that failed validation) could have hidden
 * an asset anywhere, so it leaves every scope of the collection incomplete.
 */
export function scopesOf(attempted: readonly string[], assets: readonly { id: string; kind: string; scopeKey: string }[], errors: readonly Pick<CollectionError, 'scope'>[]): CollectedScope[] {
  const unattributed = errors.some((e) => !attempted.some((key) => errorInScope(e, key)));
  return [...new Set(attempted)].sort().map((key) => ({
    key,
    complete: !unattributed && !errors.some((e) => errorInScope(e, key)),
    assetIds: assets.filter((a) => a.scopeKey === key && a.kind !== 'image').map((a) => a.id),
  }));
}
