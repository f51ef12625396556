// Is a version affected? The OSV schema's evaluation ("Evaluation" in the spec): listed `versions` match
// exactly; SEMVER and ECOSYSTEM ranges are walked in version order (introduced opens, fixed closes at that
// version, last_affected closes after it), each range only below one of its `limit`s when it has any;
// GIT ranges name commits, which an installed package does not carry, so they are not judged here.
import type { Compare } from '../versions/index.ts';
import { compareSemver } from '../versions/semver.ts';
import type { OsvAffected, OsvEvent, OsvRange } from './record.ts';

export interface RangeVerdict {
  affected: boolean;
  /** The lowest `fixed` above the installed version in the range that matched, or null when none is known. */
  fixed: string | null;
  /** Versions or events that could not be read in the ecosystem's grammar (kept to explain a miss). */
  unreadable: string[];
}

const valueOf = (e: OsvEvent): string => ('introduced' in e ? e.introduced : 'fixed' in e ? e.fixed : 'last_affected' in e ? e.last_affected : e.limit);

function safeCompare(compare: Compare, a: string, b: string): number | null {
  try {
    return compare(a, b);
  } catch {
    return null;
  }
}

function inRange(version: string, range: OsvRange, compare: Compare, unreadable: string[]): { affected: boolean; fixed: string | null } {
  const events: OsvEvent[] = [];
  const limits: string[] = [];
  for (const e of range.events) {
    const v = valueOf(e);
    if ('limit' in e) {
      if (v.includes('*')) continue; // "*" is infinity: no bound
      if (safeCompare(compare, v, v) === null) unreadable.push(v);
      else limits.push(v);
      continue;
    }
    if ('introduced' in e && v === '0') {
      events.push(e);
      continue;
    }
    if (safeCompare(compare, v, v) === null) unreadable.push(v);
    else events.push(e);
  }
  if (limits.length > 0 && !limits.some((l) => compare(version, l) < 0)) return { affected: false, fixed: null };
  const key = (e: OsvEvent) => valueOf(e);
  const sorted = events
    .map((e, i) => ({ e, i }))
    .sort((x, y) => {
      const a = key(x.e);
      const b = key(y.e);
      const az = 'introduced' in x.e && a === '0';
      const bz = 'introduced' in y.e && b === '0';
      if (az || bz) return az && bz ? x.i - y.i : az ? -1 : 1;
      return compare(a, b) || x.i - y.i;
    })
    .map((s) => s.e);
  let affected = false;
  let fixed: string | null = null;
  // The first event above the installed version ends its interval: a `fixed` there is its fix, a
  // `last_affected` there means the interval has no known fix.
  let intervalEnded = false;
  for (const e of sorted) {
    if ('introduced' in e) {
      if (e.introduced === '0' || compare(version, e.introduced) >= 0) {
        affected = true;
        fixed = null;
      }
    } else if ('fixed' in e) {
      if (compare(version, e.fixed) >= 0) affected = false;
      else if (affected && !intervalEnded) {
        fixed = e.fixed;
        intervalEnded = true;
      }
    } else if ('last_affected' in e) {
      if (compare(version, e.last_affected) > 0) affected = false;
      else if (affected) intervalEnded = true;
    }
  }
  return { affected, fixed: affected ? fixed : null };
}

/**
 * Judges one `affected[]` entry for an installed version. `compare` is the ecosystem's comparator, or
 * null when we have none (then only the `versions` list and SEMVER ranges can match).
 */
export function affectedBy(entry: OsvAffected, version: string, compare: Compare | null): RangeVerdict {
  const unreadable: string[] = [];
  let fixed: string | null = null;
  let affected = false;
  if (entry.versions?.includes(version)) affected = true;
  for (const range of entry.ranges ?? []) {
    if (range.type === 'GIT') continue;
    const cmp = range.type === 'SEMVER' ? compareSemver : compare;
    if (!cmp) continue;
    if (safeCompare(cmp, version, version) === null) {
      unreadable.push(version);
      continue;
    }
    const r = inRange(version, range, cmp, unreadable);
    if (r.affected) {
      affected = true;
      // Several ranges may match (a backport branch and the main line): the lowest fix above us wins.
      if (r.fixed !== null && (fixed === null || cmp(r.fixed, fixed) < 0)) fixed = r.fixed;
    }
  }
  // A listed version with no fixing range: a fix may still exist in the ranges of the same entry.
  return { affected, fixed: affected ? fixed : null, unreadable: [...new Set(unreadable)] };
}
