// Constant-time comparison of a presented secret with the accepted ones. Both sides are hashed first so
// the comparison length never depends on the presented value, and every candidate is compared.
import { createHash, timingSafeEqual } from 'node:crypto';

const digest = (text: string): Buffer => createHash('sha256').update(text, 'utf8').digest();

export function matchesSecret(presented: string | undefined, accepted: readonly string[]): boolean {
  if (presented === undefined || presented.length === 0 || accepted.length === 0) return false;
  const p = digest(presented);
  let ok = false;
  for (const candidate of accepted) {
    ok = timingSafeEqual(p, digest(candidate)) || ok;
  }
  return ok;
}

/** `Bearer <token>` → token; any other header value is taken as the secret itself. */
export function bearerOrRaw(header: string | undefined): string | undefined {
  if (header === undefined) return undefined;
  const m = /^Bearer\s+(.+)$/i.exec(header.trim());
  return m ? m[1] : header.trim();
}
