// One run's signature-checking options from posture.yaml's supplyChain section, shared by the CLI and the
// Lambda worker so both judge IMG-007/016/017 under the same policies. Trust material (key files, trusted
// roots, notation trust-store certificates) is read here, before anything is collected: one that cannot be read is a configuration error, not
// an unjudged image.
import type { SupplyChainConfig } from './config.ts';
import type { SupplyChainOptions } from './check-image.ts';
import { TrustCache } from './trust.ts';

/** Undefined when posture.yaml names no signature policy (no image is then checked: IMG-007 not evaluated). */
export async function supplyChainOptions(config: { supplyChain: SupplyChainConfig }): Promise<SupplyChainOptions | undefined> {
  if (config.supplyChain.policies.length === 0) return undefined;
  const trust = new TrustCache();
  for (const policy of config.supplyChain.policies) await trust.trustOf(policy);
  return { config: config.supplyChain, trust };
}
