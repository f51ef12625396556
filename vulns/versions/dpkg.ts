// Debian package versions ([epoch:]upstream[-revision]) compared as dpkg does (deb-version(7),
// lib/dpkg/version.c): epochs numerically, then upstream and revision by alternating non-digit and
// digit runs, where `~` sorts before everything (even the end of the string) and letters before other
// characters. No maintained npm comparator exists; the vectors in test/vulns/vectors/dpkg.txt prove this one.

import { splitEpoch } from './epoch.ts';

export interface DebianVersion {
  epoch: number;
  upstream: string;
  revision: string;
}

export function parseDebianVersion(text: string): DebianVersion | null {
  const split = splitEpoch(text);
  // dpkg warns about an upstream version that does not start with a digit but still orders it; keep such
  // versions comparable rather than dropping a package. An empty one is no version.
  if (!split || split.body === '') return null;
  return { epoch: split.epoch, upstream: split.body, revision: split.tail };
}

const isDigit = (c: number) => c >= 48 && c <= 57;
const isAlpha = (c: number) => (c >= 65 && c <= 90) || (c >= 97 && c <= 122);

/** dpkg's weight of one non-digit character: `~` lowest, end and digits 0, letters by code, the rest after letters. */
function order(c: number | undefined): number {
  if (c === undefined || isDigit(c)) return 0;
  if (isAlpha(c)) return c;
  if (c === 126) return -1; // '~'
  return c + 256;
}

function verrevcmp(a: string, b: string): number {
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    let firstDiff = 0;
    while ((i < a.length && !isDigit(a.charCodeAt(i))) || (j < b.length && !isDigit(b.charCodeAt(j)))) {
      const ac = order(i < a.length ? a.charCodeAt(i) : undefined);
      const bc = order(j < b.length ? b.charCodeAt(j) : undefined);
      if (ac !== bc) return ac - bc;
      i++;
      j++;
    }
    while (a.charCodeAt(i) === 48) i++;
    while (b.charCodeAt(j) === 48) j++;
    while (i < a.length && isDigit(a.charCodeAt(i)) && j < b.length && isDigit(b.charCodeAt(j))) {
      if (!firstDiff) firstDiff = a.charCodeAt(i) - b.charCodeAt(j);
      i++;
      j++;
    }
    if (i < a.length && isDigit(a.charCodeAt(i))) return 1;
    if (j < b.length && isDigit(b.charCodeAt(j))) return -1;
    if (firstDiff) return firstDiff;
  }
  return 0;
}

const sign = (n: number) => (n < 0 ? -1 : n > 0 ? 1 : 0);

export function compareDebian(a: string, b: string): number {
  const va = parseDebianVersion(a);
  const vb = parseDebianVersion(b);
  if (!va || !vb) throw new RangeError(`not a Debian version: ${!va ? a : b}`);
  if (va.epoch !== vb.epoch) return sign(va.epoch - vb.epoch);
  return sign(verrevcmp(va.upstream, vb.upstream)) || sign(verrevcmp(va.revision, vb.revision));
}
