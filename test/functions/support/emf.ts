// EMF documents a handler writes to stdout (Powertools Metrics writes one JSON document per line there,
// which Lambda ships to CloudWatch Logs); everything else on stdout passes through.
export async function emfDuring<T>(work: () => Promise<T>): Promise<{ result: T; emf: Record<string, unknown>[] }> {
  const lines: string[] = [];
  const write = process.stdout.write.bind(process.stdout);
  process.stdout.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
    const text = typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
    if (text.includes('"_aws"')) lines.push(...text.split('\n').filter((l) => l.includes('"_aws"')));
    else return (write as (c: string | Uint8Array, ...r: unknown[]) => boolean)(chunk, ...rest);
    return true;
  }) as typeof process.stdout.write;
  try {
    const result = await work();
    return { result, emf: lines.map((l) => JSON.parse(l) as Record<string, unknown>) };
  } finally {
    process.stdout.write = write;
  }
}

/** The metric names an EMF document declares under its CloudWatchMetrics directive, and its namespace. */
export function emfDirective(doc: Record<string, unknown>): { namespace: string; metrics: string[] } {
  const directive = (doc._aws as { CloudWatchMetrics: { Namespace: string; Metrics: { Name: string }[] }[] }).CloudWatchMetrics[0]!;
  return { namespace: directive.Namespace, metrics: directive.Metrics.map((m) => m.Name) };
}
