// RPM versions ([epoch:]version[-release]) compared as rpm's rpmvercmp does for each of epoch, version and
// release: runs of digits (numerically, longer wins after leading zeros) and of letters (as strings), other
// characters only separate, `~` sorts before anything and `^` after the end but before any further run.
// A missing epoch is 0. No maintained npm comparator exists; test/vulns/vectors/rpm.txt proves this one.

import { splitEpoch } from './epoch.ts';

export interface RpmVersion {
  epoch: number;
  version: string;
  release: string;
}

export function parseRpmVersion(text: string): RpmVersion | null {
  const split = splitEpoch(text);
  return split && { epoch: split.epoch, version: split.body, release: split.tail };
}

const isDigit = (c: string) => c >= '0' && c <= '9';
const isAlpha = (c: string) => (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
const isAlnum = (c: string) => isDigit(c) || isAlpha(c);

/** rpmvercmp: -1, 0 or 1. */
export function rpmvercmp(a: string, b: string): number {
  if (a === b) return 0;
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    while (i < a.length && !isAlnum(a[i]!) && a[i] !== '~' && a[i] !== '^') i++;
    while (j < b.length && !isAlnum(b[j]!) && b[j] !== '~' && b[j] !== '^') j++;
    const ca = a[i];
    const cb = b[j];
    if (ca === '~' || cb === '~') {
      if (ca !== '~') return 1;
      if (cb !== '~') return -1;
      i++;
      j++;
      continue;
    }
    if (ca === '^' || cb === '^') {
      if (ca === undefined) return -1;
      if (cb === undefined) return 1;
      if (ca !== '^') return 1;
      if (cb !== '^') return -1;
      i++;
      j++;
      continue;
    }
    if (ca === undefined || cb === undefined) break;
    const numeric = isDigit(ca);
    const take = numeric ? isDigit : isAlpha;
    const si = i;
    const sj = j;
    while (i < a.length && take(a[i]!)) i++;
    while (j < b.length && take(b[j]!)) j++;
    let sa = a.slice(si, i);
    let sb = b.slice(sj, j);
    // A numeric run is newer than an alphabetic one.
    if (sb === '') return numeric ? 1 : -1;
    if (numeric) {
      sa = sa.replace(/^0+/, '');
      sb = sb.replace(/^0+/, '');
      if (sa.length !== sb.length) return sa.length > sb.length ? 1 : -1;
    }
    if (sa !== sb) return sa < sb ? -1 : 1;
  }
  if (i >= a.length && j >= b.length) return 0;
  return i < a.length ? 1 : -1;
}

export function compareRpm(a: string, b: string): number {
  const va = parseRpmVersion(a);
  const vb = parseRpmVersion(b);
  if (!va || !vb) throw new RangeError(`not an RPM version: ${!va ? a : b}`);
  if (va.epoch !== vb.epoch) return va.epoch < vb.epoch ? -1 : 1;
  return rpmvercmp(va.version, vb.version) || rpmvercmp(va.release, vb.release);
}
