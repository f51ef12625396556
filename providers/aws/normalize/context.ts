import { jurisdictionOf } from '../../../core/jurisdiction.ts';

/** What a collector knows about where and when it read a resource. */
export interface CollectContext {
  collectedAt: string;
  source?: string;
}

export function awsPlacement(account: string, region: string) {
  return { provider: 'aws' as const, account, region, jurisdiction: jurisdictionOf('aws', region) };
}

/** Why each input of one asset could not be collected, keyed by its `raw` key. */
export type Failures<K extends string> = Partial<Record<K, string>>;

/**
 * The asset's `collectionErrors`: each failed raw input, and each normalized field that stayed unknown
 * because of it, so a rule requiring either ends "not evaluated (collection error)" with the reason.
 */
export function collectionErrorsOf<K extends string>(failures: Failures<K> | undefined, derived: Array<[K, string, boolean]>): { input: string; message: string }[] {
  if (!failures) return [];
  const out: { input: string; message: string }[] = [];
  for (const [key, message] of Object.entries(failures) as [K, string | undefined][]) if (message) out.push({ input: `raw.${key}`, message });
  for (const [key, path, unknown] of derived) {
    const message = failures[key];
    if (message && unknown && !out.some((e) => e.input === path)) out.push({ input: path, message });
  }
  return out;
}
