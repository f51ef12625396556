// Secrets posture was given (registry passwords and tokens, ticketing credentials) must never come back
// out through an error message, a log line, a report or the outbox. A hostile server can echo them in
// any form: raw, base64 without the scheme, URL-encoded, lower-cased, or cut in half by someone's
// excerpt. So every form of every secret is registered here, and scrubbing removes whole matches and
// any fragment of a form at least `fragment` characters long, case-insensitively, before text is cut.

const mask = '[redacted]';
/** Shorter fragments of a secret are not distinctive enough to find (or to be worth much to an attacker). */
const fragment = 8;
/** Secrets shorter than this are not registered: scrubbing them would mangle ordinary words. */
const minSecret = 6;

/** The forms a value takes on the wire and in text. */
function formsOf(value: string): string[] {
  const bytes = Buffer.from(value);
  const forms = new Set([value, bytes.toString('base64'), bytes.toString('base64url'), encodeURIComponent(value), JSON.stringify(value).slice(1, -1)]);
  forms.add(new URLSearchParams({ v: value }).toString().slice(2)); // form encoding: spaces as +
  // Inside a longer base64 text the value may start at any of three byte offsets; the middle of each is stable.
  for (const shift of [1, 2]) forms.add(Buffer.concat([Buffer.alloc(shift), bytes]).toString('base64').slice(4, -4));
  return [...forms].filter((f) => f.length >= minSecret);
}

export class SecretRedactor {
  /** Lower-cased forms, longest first so that a whole match wins over a fragment. */
  private forms: string[] = [];
  private readonly known = new Set<string>();
  /** Every `fragment`-long window of every form (lower-cased), for finding pieces of a secret. */
  private readonly grams = new Set<string>();

  /** Registers a secret (and, for Basic credentials, the user:password pair a header carries). */
  add(secret: string | null | undefined, username?: string): void {
    if (!secret || secret.length < minSecret) return;
    const values = [secret];
    if (username !== undefined) values.push(`${username}:${secret}`);
    let changed = false;
    for (const v of values) {
      for (const form of formsOf(v)) {
        const lower = form.toLowerCase();
        if (this.known.has(lower)) continue;
        this.known.add(lower);
        changed = true;
        for (let i = 0; i + fragment <= lower.length; i++) this.grams.add(lower.slice(i, i + fragment));
      }
    }
    if (changed) this.forms = [...this.known].sort((a, b) => b.length - a.length);
  }

  get size(): number {
    return this.known.size;
  }

  /** Removes every registered secret, in any registered form and case, and every fragment of one. */
  scrub(text: string): string {
    if (this.known.size === 0 || !text) return text;
    const lower = text.toLowerCase();
    // Mark every character covered by a whole form or by a window shared with a form.
    const covered = new Uint8Array(text.length);
    let any = false;
    for (const form of this.forms) {
      for (let at = lower.indexOf(form); at >= 0; at = lower.indexOf(form, at + 1)) {
        covered.fill(1, at, at + form.length);
        any = true;
      }
    }
    for (let i = 0; i + fragment <= lower.length; i++) {
      if (this.grams.has(lower.slice(i, i + fragment))) {
        covered.fill(1, i, i + fragment);
        any = true;
      }
    }
    if (!any) return text;
    let out = '';
    for (let i = 0; i < text.length; ) {
      if (!covered[i]) {
        out += text[i];
        i += 1;
        continue;
      }
      while (i < text.length && covered[i]) i += 1;
      out += mask;
    }
    return out;
  }

  /** Scrubs first, then cuts, then scrubs the cut (a piece of a secret left at the edge is still a piece). */
  excerpt(text: string, maxLength: number): string {
    return this.scrub(this.scrub(text).slice(0, maxLength));
  }
}

/** The process-wide register: credentials are added where they are obtained, scrubbing happens at every exit. */
export const secrets = new SecretRedactor();

/** A copy of a JSON-like value with every string (not key) passed through `replace`; the shape is unchanged. */
export function mapStrings<T>(value: T, replace: (s: string) => string): T {
  if (typeof value === 'string') return replace(value) as T;
  if (Array.isArray(value)) return value.map((v) => mapStrings(v, replace)) as T;
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = mapStrings(v, replace);
    return out as T;
  }
  return value;
}

/** Deep-scrubs the strings of a JSON-like value (error lists, finding messages) without changing its shape. */
export function scrubValue<T>(value: T, redactor: SecretRedactor = secrets): T {
  if (redactor.size === 0) return value;
  return mapStrings(value, (s) => redactor.scrub(s));
}
