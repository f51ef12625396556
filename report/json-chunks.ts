// A JSON document written piece by piece, byte for byte what `JSON.stringify(document, null, 2)` gives, so a
// report of 20,000 assets is never one string in memory. The document's outer levels are walked here; below
// them each value is one JSON.stringify call (an asset, a finding, a control's score).

/** An array whose elements come from an iterable (made while it is written), each element written whole. */
export class Streamed {
  constructor(readonly elements: Iterable<unknown>) {}
}

/** A value whose `levels` outer levels of objects and arrays are written piece by piece (the rest whole). */
export class Spread {
  constructor(
    readonly value: unknown,
    readonly levels: number,
  ) {}
}

const isPlainObject = (v: object): v is Record<string, unknown> => {
  const proto = Object.getPrototypeOf(v) as unknown;
  return proto === Object.prototype || proto === null;
};

/** What JSON.stringify writes for `value` under `key`: its toJSON() result when it has one. */
function jsonValue(value: unknown, key: string): unknown {
  const toJSON = (value as { toJSON?: unknown } | null | undefined)?.toJSON;
  return typeof toJSON === 'function' ? (toJSON as (k: string) => unknown).call(value, key) : value;
}

/** Values JSON leaves out of an object (and writes as null in an array). */
const omitted = (v: unknown) => v === undefined || typeof v === 'function' || typeof v === 'symbol';

function* chunks(value: unknown, indent: string, levels: number): Generator<string> {
  if (value instanceof Spread) {
    yield* chunks(value.value, indent, value.levels);
    return;
  }
  if (value instanceof Streamed) {
    let count = 0;
    for (const element of value.elements) {
      yield count === 0 ? `[\n${indent}  ` : `,\n${indent}  `;
      const v = jsonValue(element, String(count));
      yield* omitted(v) ? ['null'] : chunks(v, `${indent}  `, 0);
      count++;
    }
    yield count === 0 ? '[]' : `\n${indent}]`;
    return;
  }
  if (levels > 0 && Array.isArray(value)) {
    if (value.length === 0) return yield '[]';
    for (let i = 0; i < value.length; i++) {
      yield i === 0 ? `[\n${indent}  ` : `,\n${indent}  `;
      const v = jsonValue(value[i], String(i));
      yield* omitted(v) ? ['null'] : chunks(v, `${indent}  `, levels - 1);
    }
    return yield `\n${indent}]`;
  }
  if (levels > 0 && typeof value === 'object' && value !== null && isPlainObject(value)) {
    let first = true;
    for (const key of Object.keys(value)) {
      const v = jsonValue(value[key], key);
      if (omitted(v)) continue;
      yield `${first ? '{' : ','}\n${indent}  ${JSON.stringify(key)}: `;
      first = false;
      yield* chunks(v, `${indent}  `, levels - 1);
    }
    return yield first ? '{}' : `\n${indent}}`;
  }
  // JSON escapes newlines inside strings, so every newline in the text is layout.
  const text = JSON.stringify(value, null, 2) as string | undefined;
  yield indent ? (text ?? 'null').replaceAll('\n', `\n${indent}`) : (text ?? 'null');
}

/**
 * `document` as chunks that join to `JSON.stringify(document, null, 2)`. Its own keys are written one by one; a
 * `Streamed` or `Spread` value among them says how far down to go.
 */
export function prettyJsonChunks(document: Record<string, unknown>): Generator<string> {
  return chunks(document, '', 1);
}
