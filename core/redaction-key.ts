// Where the key for hashing found secrets (core/found-secrets.ts) comes from. It must stay the same
// between scans, or every scan would show every redacted value as changed: the CLI keeps one beside
// the scan history (created on first use, readable by its owner only), a deployment keeps one in
// Secrets Manager, and POSTURE_REDACTION_KEY (hex, at least 32 characters) overrides both.
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ConfigError } from './config-error.ts';
import { SecretHasher } from './found-secrets.ts';

export const redactionKeyEnv = 'POSTURE_REDACTION_KEY';

export function hasherFromText(text: string, origin: string): SecretHasher {
  const hex = text.trim();
  if (!/^[0-9a-fA-F]{32,}$/.test(hex)) throw new ConfigError(`${origin} must be at least 32 hex characters (16 bytes)`);
  return new SecretHasher(Buffer.from(hex, 'hex'));
}

/** The CLI's key: the environment's, else `<dir>/redaction.key` (made when `create`), else a per-run one. */
export function cliRedactionKey(dir: string, create: boolean, env: NodeJS.ProcessEnv = process.env): SecretHasher {
  const fromEnv = env[redactionKeyEnv];
  if (fromEnv) return hasherFromText(fromEnv, redactionKeyEnv);
  const file = path.join(dir, 'redaction.key');
  try {
    return hasherFromText(readFileSync(file, 'utf8'), file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  if (!create) return SecretHasher.ephemeral();
  mkdirSync(dir, { recursive: true });
  const key = randomBytes(32).toString('hex');
  try {
    writeFileSync(file, `${key}\n`, { mode: 0o600, flag: 'wx' });
  } catch (err) {
    // Another scan made it first: use theirs.
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return hasherFromText(readFileSync(file, 'utf8'), file);
    throw err;
  }
  return hasherFromText(key, file);
}
