// One run's signature-checking options from posture.yaml's supplyChain section, shared by the CLI and the
// Lambda worker so both judge IMG-007/016/017 under the same policies. Key material is read here, before
// anything is collected: a key or trust-store certificate that cannot be read is a configuration error, not
// an unjudged image.
import type { SupplyChainConfig } from './config.ts';
import { TrustedKeys, type SupplyChainOptions } from './check-image.ts';
import { notationTrustFor } from './notation/trust-store.ts';

/** Undefined when posture.yaml names no signature policy (no image is then checked: IMG-007 not evaluated). */
export function supplyChainOptions(config: { supplyChain: SupplyChainConfig }): SupplyChainOptions | undefined {
  if (config.supplyChain.policies.length === 0) return undefined;
  const keys = new TrustedKeys();
  for (const policy of config.supplyChain.policies) {
    keys.keysOf(policy);
    notationTrustFor(policy);
  }
  return { config: config.supplyChain, keys };
}
