// SemVer 2.0 ecosystems (npm, Go, crates.io, Hex, Pub …) through the `semver` package. Go module versions
// carry a leading `v` and the Go toolchain a leading `go` (OSV's Go records have neither);
// `+incompatible` and build metadata do not order.
import semver from 'semver';

export function parseSemver(v: string): semver.SemVer | null {
  return semver.parse(v.trim().replace(/^(v|go)(?=\d)/, ''), { loose: true });
}

export function compareSemver(a: string, b: string): number {
  const pa = parseSemver(a);
  const pb = parseSemver(b);
  if (!pa || !pb) throw new RangeError(`not a semantic version: ${!pa ? a : b}`);
  return pa.compare(pb);
}
