// Secrets in files, found in every layer: a file that a later layer deletes is still in the image
// (anyone who pulls it can read that layer), so it is reported with `inFinalFilesystem: false`.
// Only the head of each file is searched (the per-file cap), and binary files are skipped.
import type { ContentScanner } from './types.ts';
import { redactedHint, secretRules } from './secret-rules.ts';

/** Each rule with its keywords as bytes: a head is searched as it came off the layer, and decoded only on a hit. */
const rules = secretRules.map((rule) => ({ rule, needles: rule.keywords.map((k) => Buffer.from(k, 'latin1')) }));

const maxMatchesPerFile = 10;
const binarySniffBytes = 8000;

export function createSecretScanner(maxSecrets: number): ContentScanner {
  const seen = new Set<string>();
  return {
    name: 'secrets',
    scan(path, head, layer, out, errors) {
      if (head.subarray(0, binarySniffBytes).includes(0)) return;
      let text: string | undefined;
      let matches = 0;
      for (const { rule, needles } of rules) {
        if (!needles.some((n) => head.includes(n))) continue;
        text ??= head.toString('latin1');
        rule.pattern.lastIndex = 0;
        for (const m of text.matchAll(rule.pattern)) {
          const hint = rule.fixedHint ? rule.fixedHint(m[0]) : redactedHint(m[rule.group ?? 0] ?? m[0]);
          const key = `${path}\0${rule.id}\0${hint}`;
          if (seen.has(key)) continue;
          seen.add(key);
          if (out.secrets.length >= maxSecrets) {
            errors.add('secret-limit', `more than ${maxSecrets} secrets found; the rest are not listed (next at ${path})`);
            return;
          }
          out.secrets.push({ path, rule: rule.id, hint, layer });
          if (++matches >= maxMatchesPerFile) return;
        }
      }
    },
  };
}
