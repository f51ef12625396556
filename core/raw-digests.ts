// Once a scan is evaluated, each asset's `raw` (the provider's own answer, kept for the rules that read it)
// is needed only as two digests: the asset's content hash (the finding state's "seen this configuration
// before") and the hash of `raw` itself (the history's "provider response changed"). The CLI swaps `raw` for
// those digests before it scores, records and reports, so a sweep of 20,000 resources does not carry their
// API answers to the end of the run. Reports never show `raw`.
import type { Asset } from './asset.ts';
import { canonicalJson, sha256 } from './canonical.ts';
import { contentHashOf } from './jobs.ts';
import type { ScanResult } from './scan.ts';

export interface RawDigests {
  /** contentHashOf(asset), raw included; absent when nothing that needs it was asked for. */
  content?: string;
  /** sha256 of canonical `raw`; absent likewise. */
  raw?: string;
}

const rawSha256 = (asset: Asset) => sha256(canonicalJson(asset.raw));

/**
 * The result with every asset's `raw` emptied and the digests asked for kept in `rawDigests` (by asset object).
 * Whatever reads a digest that was not asked for gets an error rather than a hash of the emptied asset.
 */
export function releaseRaw(result: ScanResult, keep: { content: boolean; raw: boolean }): ScanResult {
  const digests = new WeakMap<Asset, RawDigests>();
  const assets = result.assets.map((asset): Asset => {
    const released = { ...asset, raw: {} };
    digests.set(released, {
      ...(keep.content ? { content: contentHashOf(asset) } : {}),
      ...(keep.raw ? { raw: rawSha256(asset) } : {}),
    });
    return released;
  });
  return { ...result, assets, rawDigests: digests };
}

/** The asset's content hash: computed, or the one kept when its `raw` was released. */
export function contentHashIn(result: Pick<ScanResult, 'rawDigests'>, asset: Asset): string {
  if (!result.rawDigests) return contentHashOf(asset);
  const kept = result.rawDigests.get(asset)?.content;
  if (kept === undefined) throw new Error(`the content hash of ${asset.id} was not kept when its raw payload was released`);
  return kept;
}

/** sha256 of the asset's canonical `raw`: computed, or the one kept when it was released. */
export function rawDigestIn(result: Pick<ScanResult, 'rawDigests'>, asset: Asset): string {
  if (!result.rawDigests) return rawSha256(asset);
  const kept = result.rawDigests.get(asset)?.raw;
  if (kept === undefined) throw new Error(`the raw digest of ${asset.id} was not kept when its raw payload was released`);
  return kept;
}
