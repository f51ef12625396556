// Registry hosts as posture.yaml names them (`registries[].host`): an exact host (with port, if any) or
// `*.suffix` for every host under a domain. Events naming any other registry are refused.

export function matchesRegistry(patterns: readonly string[], host: string): boolean {
  const h = host.toLowerCase();
  return patterns.some((p) => (p.startsWith('*.') ? h.endsWith(p.slice(1)) && h.length > p.length - 1 : h === p.toLowerCase()));
}

/** A predicate for the hosts a configuration names. */
export function registryAllowList(registries: readonly { host: string }[]): (host: string) => boolean {
  const patterns = registries.map((r) => r.host);
  return (host) => matchesRegistry(patterns, host);
}
