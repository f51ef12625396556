// cosign v3's Sigstore bundle (an OCI 1.1 referrer or its fallback-tag entry): a signature when its statement
// carries cosign's signing predicate, an attestation otherwise (cosign attest). Signed with a key (verified
// under the policy's keys) or keyless with a certificate (verified under the policy's trusted root).
import { verifyKeylessBundle } from '../keyless.ts';
import { cosignSignPredicate, parseBundle, verifyKeyBundle } from '../sigstore-bundle.ts';
import type { Verdict } from '../simple-signing.ts';
import { entries, nothing, type ArtifactVerifier } from './types.ts';

export const verifyCosignBundle: ArtifactVerifier = async (candidate, ctx) => {
  const { what, signature, attestation, problem, read } = entries(ctx, candidate);
  const layer = candidate.manifest.layers[0];
  if (!layer) return { ...nothing(), signatures: [signature('sigstore-bundle', problem('malformed', 'the bundle manifest has no layer'))] };
  const bytes = await read(layer);
  if (!Buffer.isBuffer(bytes)) return { ...nothing(), signatures: [signature('sigstore-bundle', bytes)] };
  const parsed = parseBundle(bytes, what);
  if (!parsed.ok) return { ...nothing(), signatures: [signature('sigstore-bundle', { verified: false, signer: null, problem: parsed.problem })] };
  let verdict: Verdict;
  if (parsed.bundle.verificationMaterial.content.$case === 'publicKey') {
    verdict = ctx.trust.keys.length ? verifyKeyBundle(parsed, ctx.trust.keys, ctx.subject, what) : problem('untrusted-key', 'signed with a key; this policy names no cosign keys (cosign.keys)');
  } else {
    verdict = ctx.trust.keyless ? verifyKeylessBundle(parsed, ctx.trust.keyless, ctx.subject, what) : problem('untrusted-key', 'signed keyless (with a certificate); this policy names no keyless signers (cosign.keyless)');
  }
  // cosign attest writes the same bundle form with another predicate: an attestation, not a signature.
  if (parsed.statement.predicateType !== cosignSignPredicate) return { ...nothing(), attestations: [attestation('sigstore-bundle', parsed.statement, verdict)] };
  return { ...nothing(), signatures: [signature('sigstore-bundle', verdict)] };
};
