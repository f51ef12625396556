// Secrets in files, found in every layer: a file that a later layer deletes is still in the image
// (anyone who pulls it can read that layer), so it is reported with `inFinalFilesystem: false`.
// Only the head of each file is searched (the per-file cap), and binary files are skipped.
import type { ContentScanner } from './types.ts';
import { redactedHint, secretRules } from './secret-rules.ts';

/**
 * Every rule's keywords in one alternation, tried once per file: most files hold none, and one regex pass
 * over the head costs less than a search per keyword (for a file of a hundred bytes, a sixth as much).
 * Only on a hit are the rules whose keywords occur run.
 */
const anyKeyword = new RegExp(secretRules.flatMap((r) => r.keywords).map((k) => k.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|'));

const maxMatchesPerFile = 10;
const binarySniffBytes = 8000;

export function createSecretScanner(maxSecrets: number): ContentScanner {
  const seen = new Set<string>();
  return {
    name: 'secrets',
    scan(path, head, layer, out, errors) {
      if ((head.length > binarySniffBytes ? head.subarray(0, binarySniffBytes) : head).includes(0)) return;
      // latin1 maps each byte to one character, so offsets and keywords match the bytes as they are.
      const text = head.toString('latin1');
      if (!anyKeyword.test(text)) return;
      let matches = 0;
      for (const rule of secretRules) {
        if (!rule.keywords.some((k) => text.includes(k))) continue;
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
