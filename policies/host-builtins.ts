// Builtins the policy module calls into the host for (OPA's Wasm runtime lacks them), implemented here.
// The build checks policies against the runtime's own builtins plus these names (scripts/build-policies.ts).

/** RFC 3339 → nanoseconds since the epoch (as a JS number: precise to well under a millisecond). */
function parseRfc3339Ns(value: unknown): number {
  if (typeof value !== 'string') throw new Error('time.parse_rfc3339_ns: operand must be a string');
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) throw new Error(`time.parse_rfc3339_ns: not an RFC 3339 time: ${value.slice(0, 64)}`);
  return ms * 1e6;
}

/**
 * `%d` as sprintf-js (the formatter @open-policy-agent/opa-wasm uses, and so the one our messages were
 * written against) prints it: the value's integer part, with a minus sign for negative values.
 */
function formatInteger(value: unknown): string {
  const n = Number(value);
  if (typeof value !== 'number' && Number.isNaN(n)) throw new TypeError(`sprintf: %d expects a number, got ${JSON.stringify(value)?.slice(0, 64)}`);
  const digits = String(parseInt(String(value), 10));
  return n >= 0 ? digits : `-${digits.replace(/^[+-]/, '')}`;
}

/**
 * sprintf with the verbs the policy build allows (`%s`, `%d`, `%%`), formatting values as sprintf-js does
 * (`%s` is JavaScript's String(value): arrays joined by commas), so messages read as they did under
 * opa-wasm. Any other verb fails the evaluation, naming the format.
 */
function sprintf(format: unknown, values: unknown): string {
  if (typeof format !== 'string') throw new Error('sprintf: format must be a string');
  const args = Array.isArray(values) ? values : values ? [values] : [];
  let out = '';
  let next = 0;
  let at = 0;
  for (;;) {
    const percent = format.indexOf('%', at);
    if (percent < 0) return out + format.slice(at);
    out += format.slice(at, percent);
    const verb = format[percent + 1];
    if (verb === '%') out += '%';
    else if (verb === 's') out += String(args[next++]);
    else if (verb === 'd') out += formatInteger(args[next++]);
    else throw new Error(`sprintf: only %s, %d and %% are supported, in ${JSON.stringify(format.slice(0, 120))}`);
    at = percent + 2;
  }
}

export const hostBuiltins: Record<string, (...args: unknown[]) => unknown> = {
  'time.parse_rfc3339_ns': parseRfc3339Ns,
  sprintf,
};

export const hostBuiltinNames = Object.keys(hostBuiltins);
