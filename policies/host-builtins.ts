// Builtins the policy module calls into the host for (OPA's Wasm runtime lacks them), implemented here: the
// ones @open-policy-agent/opa-wasm implemented in JavaScript, with the same results, plus our own. The build
// checks policies against opa-wasm's list plus these names, and fails on a module that needs one missing here.
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';

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

/** YAML text → its value; undefined when it is not YAML (a parse error), as opa-wasm did. */
function yamlValue(text: string): { ok: boolean; value?: unknown } {
  try {
    return { ok: true, value: parseYaml(text, { logLevel: 'error' }) as unknown };
  } catch (err) {
    if (err instanceof Error && (err.name === 'YAMLParseError' || err.name === 'YAMLWarning')) return { ok: false };
    throw err;
  }
}

function jsonIsValid(text: unknown): boolean | undefined {
  if (typeof text !== 'string') return undefined;
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

export const hostBuiltins: Record<string, (...args: unknown[]) => unknown> = {
  'time.parse_rfc3339_ns': parseRfc3339Ns,
  sprintf,
  'json.is_valid': jsonIsValid,
  'yaml.is_valid': (text) => (typeof text === 'string' ? yamlValue(text).ok : undefined),
  'yaml.unmarshal': (text) => (typeof text === 'string' ? yamlValue(text).value : undefined),
  'yaml.marshal': (value) => stringifyYaml(value),
  // JavaScript's regular expressions, as opa-wasm had it (not RE2, which OPA itself uses).
  'regex.split': (pattern, text) => String(text).split(new RegExp(String(pattern))),
};

export const hostBuiltinNames = Object.keys(hostBuiltins);
