// Well-known secret formats (public token prefixes and key headers). Each rule says how to show a match
// without revealing it: at most the public prefix and the length.
export interface SecretRule {
  id: string;
  pattern: RegExp;
  /**
   * Substrings one of which must occur before the regex is tried (searched in the file's bytes, so a file
   * without any is never decoded). Together they must cover every match: for a case-blind pattern, list
   * the spellings that occur.
   */
  keywords: readonly string[];
  /** Index of the capture group holding the secret itself (0 = whole match). */
  group?: number;
  /** A fixed hint for matches that are headers, not values. */
  fixedHint?: (match: string) => string;
}

export const secretRules: readonly SecretRule[] = [
  { id: 'private-key', keywords: ['PRIVATE KEY'], pattern: /-----BEGIN ((?:RSA|EC|DSA|OPENSSH|ENCRYPTED|PGP) )?PRIVATE KEY( BLOCK)?-----/g, fixedHint: (m) => m },
  { id: 'aws-access-key-id', keywords: ['AKIA', 'ASIA', 'ABIA', 'ACCA'], pattern: /\b((?:AKIA|ASIA|ABIA|ACCA)[0-9A-Z]{16})\b/g, group: 1 },
  { id: 'aws-secret-access-key', keywords: ['ecret', 'ECRET'], pattern: /aws_?secret_?access_?key["']?\s*[:=]\s*["']?([A-Za-z0-9/+=]{40})(?![A-Za-z0-9/+=])/gi, group: 1 },
  { id: 'github-token', keywords: ['ghp_', 'gho_', 'ghu_', 'ghs_', 'ghr_', 'github_pat_'], pattern: /\b((?:ghp|gho|ghu|ghs|ghr)_[A-Za-z0-9]{36}|github_pat_[A-Za-z0-9_]{82})\b/g, group: 1 },
  { id: 'gitlab-token', keywords: ['glpat-'], pattern: /\b(glpat-[A-Za-z0-9_-]{20})\b/g, group: 1 },
  { id: 'slack-token', keywords: ['xox'], pattern: /\b(xox[abposr]-[A-Za-z0-9-]{10,72})\b/g, group: 1 },
  { id: 'google-api-key', keywords: ['AIza'], pattern: /\b(AIza[0-9A-Za-z_-]{35})\b/g, group: 1 },
  { id: 'gcp-service-account-key', keywords: ['service_account'], pattern: /"type"\s*:\s*"service_account"/g, fixedHint: () => '"type": "service_account" JSON key' },
  { id: 'stripe-secret-key', keywords: ['_live_'], pattern: /\b((?:sk|rk)_live_[0-9A-Za-z]{24,99})\b/g, group: 1 },
  { id: 'azure-storage-key', keywords: ['AccountKey='], pattern: /AccountKey=([A-Za-z0-9+/]{86}==)/g, group: 1 },
  { id: 'npm-token', keywords: ['npm_'], pattern: /\b(npm_[A-Za-z0-9]{36})\b/g, group: 1 },
];

/** Shows what kind of value matched without revealing it. */
export function redactedHint(value: string): string {
  return `${value.slice(0, 4)}…(${value.length} chars)`;
}
