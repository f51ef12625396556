// SDK output objects → the AWS API JSON form kept in `raw`: no `$metadata`, timestamps as ISO strings.
export function apiJson<T>(value: T): unknown {
  return JSON.parse(JSON.stringify(value, (key, v: unknown) => (key === '$metadata' ? undefined : v))) as unknown;
}
