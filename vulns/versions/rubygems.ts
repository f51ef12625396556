// RubyGems versions (Gem::Version: segments split on `.` and letter/digit changes, any letter makes a
// pre-release, trailing zeros ignored) through @renovatebot/ruby-semver.
import { eq, gt, valid } from '@renovatebot/ruby-semver';

export function compareRubyGems(a: string, b: string): number {
  if (!valid(a) || !valid(b)) throw new RangeError(`not a RubyGems version: ${!valid(a) ? a : b}`);
  if (eq(a, b)) return 0;
  return gt(a, b) ? 1 : -1;
}
