// Builtins the Wasm target lacks but our rules need, implemented on the host side.
// The build checks policies against opa-wasm's list plus these names.

/** RFC 3339 → nanoseconds since the epoch (as a JS number: precise to well under a millisecond). */
function parseRfc3339Ns(value: unknown): number {
  if (typeof value !== 'string') throw new Error('time.parse_rfc3339_ns: operand must be a string');
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) throw new Error(`time.parse_rfc3339_ns: not an RFC 3339 time: ${value.slice(0, 64)}`);
  return ms * 1e6;
}

export const hostBuiltins: Record<string, (...args: unknown[]) => unknown> = {
  'time.parse_rfc3339_ns': parseRfc3339Ns,
};

export const hostBuiltinNames = Object.keys(hostBuiltins);
