// SDK model objects → plain JSON for `raw`: the @azure/arm-* deserializers turn timestamps into Date
// objects; raw keeps them as the ISO strings ARM sent, and drops `undefined` members.
export function sdkJson(value: unknown, depth = 0): unknown {
  if (depth > 64) return null;
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.toISOString();
  if (Array.isArray(value)) return value.map((v) => sdkJson(v, depth + 1));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined).map(([k, v]) => [k, sdkJson(v, depth + 1)]));
  }
  return value;
}
