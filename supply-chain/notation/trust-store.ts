// The certificates a policy's notation verifier trusts, read once per policy and run (a WeakMap on the parsed
// policy, so every caller in a run shares them). A file may hold several PEM certificates, as notation's
// trust store directories do; each is trusted under the configured name.
import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { SignaturePolicy } from '../config.ts';
import type { TrustStoreCertificate } from './config.ts';

export interface TrustedCertificate {
  /** The configured name, with `#n` when its file holds several certificates. */
  name: string;
  cert: X509Certificate;
}

export interface NotationTrust {
  certificates: TrustedCertificate[];
  trustedIdentities: string[];
}

const cache = new WeakMap<SignaturePolicy, NotationTrust | null>();

/** The policy's notation trust store and identities, or null when the policy has no notation verifier. */
export function notationTrustFor(policy: SignaturePolicy): NotationTrust | null {
  if (cache.has(policy)) return cache.get(policy)!;
  const trust = policy.notation
    ? { certificates: policy.notation.trustStore.flatMap(loadCertificates), trustedIdentities: policy.notation.trustedIdentities }
    : null;
  cache.set(policy, trust);
  return trust;
}

const pemBlock = /-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g;

export function loadCertificates(spec: TrustStoreCertificate): TrustedCertificate[] {
  const where = `supplyChain notation trust store certificate "${spec.name}"${spec.file ? ` (${spec.file})` : ''}`;
  let pem: string;
  try {
    pem = spec.pem ?? readFileSync(spec.file!, 'utf8');
  } catch (err) {
    throw new Error(`${where}: cannot read the certificate file: ${(err as Error).message}`);
  }
  if (/PRIVATE KEY/.test(pem)) throw new Error(`${where}: holds a private key; give only the certificate`);
  const blocks = pem.match(pemBlock) ?? [];
  if (blocks.length === 0) throw new Error(`${where}: no PEM certificate in it`);
  return blocks.map((block, i) => {
    try {
      return { name: blocks.length > 1 ? `${spec.name}#${i + 1}` : spec.name, cert: new X509Certificate(block) };
    } catch (err) {
      throw new Error(`${where}: certificate ${i + 1} is not a valid X.509 certificate: ${(err as Error).message}`);
    }
  });
}
