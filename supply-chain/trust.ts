// What one signature policy trusts, loaded once per policy and run: its cosign public keys and its keyless
// trust (a Sigstore trusted root and the identities allowed to sign), its notation trust store. Verifiers (supply-chain/verifiers/)
// read it; a verifier for another signature kind adds its own material here.
import type { SignaturePolicy } from './config.ts';
import { loadKeylessTrust, type KeylessTrust } from './keyless.ts';
import { loadKey, type TrustedKey } from './keys.ts';
import { notationTrustFor, type NotationTrust } from './notation/trust-store.ts';

export interface PolicyTrust {
  policy: string;
  /** cosign public keys (empty when the policy trusts keyless signers only). */
  keys: TrustedKey[];
  /** Keyless trust, or null when the policy names no keyless signers. */
  keyless: KeylessTrust | null;
  /** The notation trust store and identities, or null when the policy has no notation verifier. */
  notation: NotationTrust | null;
}

export class TrustCache {
  private readonly cache = new Map<string, Promise<PolicyTrust>>();

  /** Rejects, naming the policy and file, when some trust material cannot be read: a configuration error. */
  trustOf(policy: SignaturePolicy): Promise<PolicyTrust> {
    let trust = this.cache.get(policy.name);
    if (!trust) {
      trust = (async () => ({
        policy: policy.name,
        keys: (policy.cosign?.keys ?? []).map(loadKey),
        keyless: policy.cosign?.keyless ? loadKeylessTrust(policy.cosign.keyless, policy.name) : null,
        notation: notationTrustFor(policy),
      }))();
      this.cache.set(policy.name, trust);
    }
    return trust;
  }
}
