// A finding: one rule's verdict about one place in one asset, joined with the rule's metadata.
import { z } from 'zod';
import { canonicalJson, sha256 } from './canonical.ts';
import { AssetKind, Provider } from './asset.ts';
import { Severity } from '../policies/catalog.ts';

export const Finding = z.object({
  /** Stable identity: asset id + rule id + evidence path. Tickets are keyed by it. */
  fingerprint: z.string().regex(/^[0-9a-f]{32}$/),
  ruleId: z.string(),
  /** Earlier ids of the rule (METADATA `aliases`): exceptions and modes written for them still apply. */
  aliases: z.array(z.string()).optional(),
  /**
   * The fingerprints this finding had under those earlier ids (asset id + alias + the path it had then).
   * The lifecycle carries a record (and its tickets) kept under one of them over instead of opening a new one.
   */
  previousFingerprints: z.array(z.string().regex(/^[0-9a-f]{32}$/)).optional(),
  title: z.string(),
  severity: Severity,
  frameworks: z.record(z.string(), z.array(z.string())),
  unverified: z.array(z.string()),
  remediation: z.string(),
  message: z.string(),
  path: z.string(),
  evidence: z.unknown(),
  /** Hash of the evidence value: changes when the same problem changes shape (for "updated" tickets). */
  evidenceHash: z.string(),
  assetId: z.string(),
  assetKind: AssetKind,
  provider: Provider,
  account: z.string(),
  region: z.string(),
});
export type Finding = z.infer<typeof Finding>;

/**
 * sha256 of the canonical JSON of `{v: 1, asset, rule, path}`, written out in its sorted key order (the same
 * bytes canonicalJson gives, without walking an object for every finding).
 */
export function fingerprintOf(assetId: string, ruleId: string, path: string): string {
  return sha256(`{"asset":${JSON.stringify(assetId)},"path":${JSON.stringify(path)},"rule":${JSON.stringify(ruleId)},"v":1}`).slice(0, 32);
}

export function evidenceHashOf(evidence: unknown): string {
  return sha256(canonicalJson(evidence ?? null)).slice(0, 16);
}
