// Python package versions (PEP 440: epochs, pre/post/dev releases, local versions) through @renovatebot/pep440.
import { compare, valid } from '@renovatebot/pep440';

export function comparePep440(a: string, b: string): number {
  if (!valid(a) || !valid(b)) throw new RangeError(`not a PEP 440 version: ${!valid(a) ? a : b}`);
  const r = compare(a, b);
  return r < 0 ? -1 : r > 0 ? 1 : 0;
}
