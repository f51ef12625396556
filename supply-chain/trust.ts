// What one signature policy trusts, loaded once per policy and run: its cosign public keys and its keyless
// trust (a Sigstore trusted root and the identities allowed to sign), its notation trust store. Verifiers (supply-chain/verifiers/)
// read it; a verifier for another signature kind adds its own material here.
import type { SignaturePolicy } from './config.ts';
import { loadKeylessTrust, type KeylessTrust } from './keyless.ts';
import { loadKey, type TrustedKey } from './keys.ts';
import { fetchKmsKey } from './kms.ts';
import { notationTrustFor, type NotationTrust } from './notation/trust-store.ts';

export interface PolicyTrust {
  policy: string;
  /** cosign public keys (empty when the policy trusts keyless signers only). */
  keys: TrustedKey[];
  /** Configured keys that could not be read this run (a KMS unreachable): nothing is judged failed for want of them. */
  unavailable: { key: string; reason: string }[];
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
      trust = (async () => {
        const specs = policy.cosign?.keys ?? [];
        const keys = specs.filter((k) => k.kms === undefined).map(loadKey);
        const unavailable: PolicyTrust['unavailable'] = [];
        // KMS keys are fetched once per run; a key that could not be read stays unavailable for the run.
        for (const spec of specs) {
          if (spec.kms === undefined) continue;
          const fetched = await fetchKmsKey({ ...spec, kms: spec.kms });
          if (fetched.ok) keys.push(fetched.key);
          else unavailable.push({ key: spec.name, reason: fetched.reason });
        }
        return {
          policy: policy.name,
          keys,
          unavailable,
          keyless: policy.cosign?.keyless ? loadKeylessTrust(policy.cosign.keyless, policy.name) : null,
          notation: notationTrustFor(policy),
        };
      })();
      this.cache.set(policy.name, trust);
    }
    return trust;
  }
}
