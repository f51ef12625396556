// Builtins the policy module calls into the host for (OPA's Wasm runtime lacks them), implemented here: the
// ones @open-policy-agent/opa-wasm implemented in JavaScript, with the same results, plus our own. The build
// checks policies against opa-wasm's list plus these names, and fails on a module that needs one missing here.
import { vsprintf } from 'sprintf-js';
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';

/** RFC 3339 → nanoseconds since the epoch (as a JS number: precise to well under a millisecond). */
function parseRfc3339Ns(value: unknown): number {
  if (typeof value !== 'string') throw new Error('time.parse_rfc3339_ns: operand must be a string');
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) throw new Error(`time.parse_rfc3339_ns: not an RFC 3339 time: ${value.slice(0, 64)}`);
  return ms * 1e6;
}

/**
 * sprintf through sprintf-js, the formatter @open-policy-agent/opa-wasm calls, so messages read as they always did
 * (`%s` is JavaScript's String(value): arrays joined by commas). The policy build allows `%s`, `%d` and `%%` only.
 */
function sprintf(format: unknown, values: unknown): string {
  if (typeof format !== 'string') throw new Error('sprintf: format must be a string');
  return vsprintf(format, Array.isArray(values) ? values : values ? [values] : []);
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
