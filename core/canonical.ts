// Canonical JSON (sorted keys) so hashes of the same content agree across runs and machines.
import { hash } from 'node:crypto';

/** An object's defined entries in code-unit order of their keys: the order canonical JSON writes them in. */
const sortedEntries = (value: object) =>
  Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));

export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value ?? null);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = sortedEntries(value);
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

/** Hex SHA-256 (one-shot: no Hash object per call, which matters on the engine's per-finding path). */
export function sha256(text: string | Uint8Array): string {
  return hash('sha256', text, 'hex');
}
