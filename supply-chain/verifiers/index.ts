// Every signature verifier, registered by the artifact kind discovery reports (supply-chain/discover.ts).
// A new signature kind adds its discovery rule there, its verifier file here, and its trust in trust.ts.
import type { ArtifactKind } from '../discover.ts';
import { verifyCosignBundle } from './cosign-bundle.ts';
import { verifyCosignAttestationTag, verifyCosignSignatureTag } from './cosign-legacy.ts';
import { verifyNotation } from './notation.ts';
import type { ArtifactVerifier } from './types.ts';

export const verifiers: Record<ArtifactKind, ArtifactVerifier> = {
  'sigstore-bundle': verifyCosignBundle,
  'cosign-sig': verifyCosignSignatureTag,
  'cosign-att': verifyCosignAttestationTag,
  notation: verifyNotation,
};

export type { ArtifactVerifier, Verified, VerifyContext } from './types.ts';
