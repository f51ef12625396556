// Debian control-style paragraphs (dpkg status) and apk's one-letter records share a shape: blank-line
// separated stanzas of `Key: value` lines, where a line starting with a space continues the previous value.

/** Yields each stanza as a map of its fields (continuation lines are dropped: no field we read uses them). */
export function* stanzas(text: string, separator = ':'): Generator<Map<string, string>> {
  let fields = new Map<string, string>();
  for (const line of text.split('\n')) {
    if (line.trim() === '') {
      if (fields.size) yield fields;
      fields = new Map();
      continue;
    }
    if (line.startsWith(' ') || line.startsWith('\t')) continue;
    const i = line.indexOf(separator);
    if (i <= 0) continue;
    fields.set(line.slice(0, i), line.slice(i + separator.length).trim());
  }
  if (fields.size) yield fields;
}
