// The public keys a signature policy trusts, loaded once per run. Each key gets the hint cosign writes into a
// Sigstore bundle (base64 of the SHA-256 of the key's DER SubjectPublicKeyInfo), so a bundle that names a
// key we do not trust is told apart from one whose bytes were altered.
import { createHash, createPublicKey, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { CosignKey } from './config.ts';

export interface TrustedKey {
  name: string;
  key: KeyObject;
  hint: string;
  /** The digest algorithm cosign pairs with this key type (null: the key fixes it, as Ed25519 does). */
  digest: string | null;
}

/** A key given as a file or inline PEM (KMS references are fetched by kms.ts). */
export function loadKey(spec: CosignKey): TrustedKey {
  const where = `supplyChain key "${spec.name}"${spec.file ? ` (${spec.file})` : ''}`;
  let pem: string;
  try {
    pem = spec.pem ?? readFileSync(spec.file!, 'utf8');
  } catch (err) {
    throw new Error(`${where}: cannot read the key file: ${(err as Error).message}`);
  }
  if (/PRIVATE KEY/.test(pem)) throw new Error(`${where}: is a private key; give the public key (cosign.pub)`);
  let key: KeyObject;
  try {
    key = createPublicKey(pem);
  } catch (err) {
    throw new Error(`${where}: not a PEM public key: ${(err as Error).message}`);
  }
  return trustedKeyOf(spec.name, key, where);
}

/** A public key however it was obtained (a file, inline, a KMS), with its bundle hint and digest. */
export function trustedKeyOf(name: string, key: KeyObject, where: string): TrustedKey {
  const der = key.export({ type: 'spki', format: 'der' });
  return { name, key, hint: createHash('sha256').update(der).digest('base64'), digest: digestFor(key, where) };
}

function digestFor(key: KeyObject, where: string): string | null {
  switch (key.asymmetricKeyType) {
    case 'ec': {
      const curve = key.asymmetricKeyDetails?.namedCurve;
      if (curve === 'prime256v1') return 'sha256';
      if (curve === 'secp384r1') return 'sha384';
      if (curve === 'secp521r1') return 'sha512';
      throw new Error(`${where}: elliptic curve ${curve ?? 'unknown'} is not one cosign signs with (P-256, P-384, P-521)`);
    }
    case 'rsa':
      return 'sha256';
    case 'ed25519':
      return null;
    default:
      throw new Error(`${where}: key type ${key.asymmetricKeyType ?? 'unknown'} is not supported (ECDSA, RSA or Ed25519)`);
  }
}
