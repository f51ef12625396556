// ConfigMaps hold configuration in clear, readable by anyone who may `get configmaps`: a credential there
// is exposed. Each value is searched with the image secret rules (the same formats the layer scanner knows)
// and each key named like a credential with a literal value counts too. Only a redacted hint is kept.
import type { NamespaceAsset } from '../../../core/asset.ts';
import { redactedHint, secretRules } from '../../oci/analyzers/secret-rules.ts';

type Match = NamespaceAsset['namespace']['configMapSecrets'][number];

/** Only the head of each value is searched: ConfigMaps go up to 1 MiB, credentials sit in the first lines. */
export const maxScannedChars = 64 * 1024;
/** Matches kept per namespace; the rest are counted in the last entry's place, never silently dropped. */
export const maxMatchesPerNamespace = 100;

// A key that names a credential, as environment variables and properties files spell them (DB_PASSWORD,
// db.password, api-key); `_FILE` / `_PATH` keys point at a file and are not credentials themselves.
const credentialKey = /(^|[_.-])(password|passwd|pass|pwd|secret|token|api[_-]?key|access[_-]?key|private[_-]?key|secret[_-]?key|client[_-]?secret|credentials?)$/i;

function literal(value: string): boolean {
  const v = value.trim();
  return v.length >= 8 && !v.startsWith('/') && !v.startsWith('$') && !/^\$\{.*\}$/.test(v);
}

export function findConfigMapSecrets(configMap: string, data: Readonly<Record<string, string>>): Match[] {
  const out: Match[] = [];
  for (const [key, full] of Object.entries(data)) {
    const value = full.slice(0, maxScannedChars);
    const seen = new Set<string>();
    for (const rule of secretRules) {
      if (!rule.keywords.some((k) => value.includes(k))) continue;
      rule.pattern.lastIndex = 0;
      for (const m of value.matchAll(rule.pattern)) {
        const hint = rule.fixedHint ? rule.fixedHint(m[0]) : redactedHint(m[rule.group ?? 0] ?? m[0]);
        if (seen.has(`${rule.id}\0${hint}`)) continue;
        seen.add(`${rule.id}\0${hint}`);
        out.push({ configMap, key, rule: rule.id, hint });
      }
    }
    if (seen.size === 0 && credentialKey.test(key) && literal(value)) // A free-form password has no public prefix: show its length only.
      out.push({ configMap, key, rule: 'credential-key', hint: `…(${value.trim().length} chars)` });
  }
  return out;
}
