// Text produced in many small chunks (a report, a snapshot), regrouped into writes of a useful size.

/** Chunks gathered into writes of about `size` characters (one write per element would be thousands of syscalls). */
export function* batched(chunks: Iterable<string>, size = 1 << 16): Generator<string> {
  let pending: string[] = [];
  let length = 0;
  for (const chunk of chunks) {
    pending.push(chunk);
    length += chunk.length;
    if (length >= size) {
      yield pending.join('');
      pending = [];
      length = 0;
    }
  }
  if (pending.length) yield pending.join('');
}
