// Reading a JSON input a user handed us, which may be hostile: a UTF-8 byte order mark is accepted
// (Windows tools write one), nesting deep enough to overflow a recursive reader later is refused up
// front with the file named, and a parse error says where it is without quoting the content (the
// file may be a link to /etc/shadow or hold secrets). YAML inputs share the mark and the depth limit
// (kubernetes-inputs.ts).

/** Deeper than any cloud export or manifest (EKS, ARM and GKE JSON, Kubernetes objects nest under 15 levels). */
export const maxJsonDepth = 100;

/** The text of an input file, without the UTF-8 byte order mark some Windows tools write. */
export function decodeInputText(bytes: Buffer): string {
  const text = bytes.toString('utf8');
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

export function lineAndColumn(text: string, offset: number): string {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  const column = offset - before.lastIndexOf('\n');
  return `line ${line}, column ${column}`;
}

/** The first place nesting passes `max`, scanning outside strings only; null when it never does. */
export function excessiveNesting(text: string, max: number): number | null {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i += 1; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
      continue;
    }
    if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) {
      depth += 1;
      if (depth > max) return i;
    } else if (c === 0x5d || c === 0x7d) depth -= 1;
  }
  return null;
}

/** V8's messages quote the start of the input ("root:x:0:0"…); keep only the kind of mistake and where. */
function describeParseError(text: string, err: Error): string {
  const position = /at position (\d+)/.exec(err.message);
  const where = position ? ` (${lineAndColumn(text, Number(position[1]))})` : '';
  const kind = err.message
    .replace(/,?\s*"[\s\S]*$/, '') // the quoted start of the input, and what follows it
    .replace(/ (in JSON )?at position \d+[\s\S]*$/, '')
    .replace(/[^\x20-\x7e]/g, '?');
  return `not valid JSON${where}: ${kind}`;
}

export function parseJsonDocument(bytes: Buffer, file: string): unknown {
  const text = decodeInputText(bytes);
  const deep = excessiveNesting(text, maxJsonDepth);
  if (deep !== null) throw new Error(`${file}: JSON nested deeper than ${maxJsonDepth} levels (${lineAndColumn(text, deep)}); refused`);
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    throw new Error(`${file}: ${describeParseError(text, err as Error)}`);
  }
}
