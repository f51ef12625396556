// cosign's legacy tags: `sha256-<hex>.sig` (one simple-signing signature per layer) and `sha256-<hex>.att`
// (one DSSE envelope per layer). Both are verified under the policy's keys; keyless signatures in these
// forms (a certificate in layer annotations) are not read, and fail as signed by no configured key.
import { parseEnvelope, verifyEnvelope } from '../dsse-envelope.ts';
import { dsseLayersOf, simpleSigningLayersOf } from '../discover.ts';
import { verifySimpleSigningLayer } from '../simple-signing.ts';
import { entries, nothing, type ArtifactVerifier } from './types.ts';

export const verifyCosignSignatureTag: ArtifactVerifier = async (candidate, ctx) => {
  const { what, signature, problem } = entries(ctx, candidate);
  const layers = simpleSigningLayersOf(candidate.manifest);
  if (layers.length === 0) return { ...nothing(), signatures: [signature('cosign-simple-signing', problem('malformed', 'the .sig manifest has no simple-signing layer'))] };
  if (ctx.trust.keys.length === 0) return { ...nothing(), signatures: layers.map(() => signature('cosign-simple-signing', problem('untrusted-key', 'a legacy .sig signature, verified under cosign keys only; this policy names none (cosign.keys)'))) };
  const signatures = [];
  for (const layer of layers) {
    signatures.push(signature('cosign-simple-signing', await verifySimpleSigningLayer(layer, (d) => ctx.source.blob(d, ctx.maxBytes, ctx.signal), ctx.trust.keys, ctx.subject, what)));
  }
  return { ...nothing(), signatures };
};

export const verifyCosignAttestationTag: ArtifactVerifier = async (candidate, ctx) => {
  const { what, attestation, read } = entries(ctx, candidate);
  const attestations = [];
  for (const layer of dsseLayersOf(candidate.manifest)) {
    const bytes = await read(layer);
    if (!Buffer.isBuffer(bytes)) continue; // an unreadable envelope names no predicate; the others still count
    const parsed = parseEnvelope(bytes, what);
    if (parsed.ok) attestations.push(attestation('cosign-dsse', parsed.statement, verifyEnvelope(parsed, ctx.trust.keys, ctx.subject, what)));
  }
  return { ...nothing(), attestations };
};
