// The contract every signature verifier meets: given one artifact discovery found for an image digest,
// say which signatures and attestations it holds and how each verified under the policy's trust.
import type { ImageAttestation, ImageSignature, SupplyChainProblem } from '../../core/asset.ts';
import type { ArtifactSource, Candidate } from '../discover.ts';
import type { Verdict } from '../simple-signing.ts';
import type { Statement } from '../sigstore-bundle.ts';
import type { PolicyTrust } from '../trust.ts';
import { summarize } from '../attestation.ts';

export interface VerifyContext {
  source: ArtifactSource;
  /** The digest the artifact was found for (the image's own, or the index it was pulled through). */
  subject: string;
  trust: PolicyTrust;
  /** Largest signature blob read (supplyChain.limits.maxSignatureBytes). */
  maxBytes: number;
  signal?: AbortSignal;
}

export interface Verified {
  signatures: ImageSignature[];
  attestations: ImageAttestation[];
}

export type ArtifactVerifier = (candidate: Candidate, ctx: VerifyContext) => Promise<Verified>;

/** Shared helpers: the artifact's name in messages, and the entries a verdict becomes. */
export function entries(ctx: VerifyContext, candidate: Candidate) {
  const what = `${ctx.source.registry}/${ctx.source.repository}@${candidate.digest}`;
  const base = { foundBy: candidate.via, artifact: candidate.digest, subject: ctx.subject };
  const signature = (format: ImageSignature['format'], v: Verdict): ImageSignature => ({ format, ...base, verified: v.verified, signer: v.signer, problem: v.problem });
  return {
    what,
    signature,
    attestation: (format: ImageSignature['format'], statement: Statement, v: Verdict): ImageAttestation => ({
      ...signature(format, v),
      predicateType: statement.predicateType,
      // What a statement says counts only once its signature verified.
      ...(v.verified ? summarize(statement) : { provenance: null, sbom: null }),
    }),
    problem: (code: SupplyChainProblem['code'], message: string): Verdict => ({ verified: false, signer: null, problem: { code, message: `${what}: ${message}` } }),
    /** A blob of the artifact, or the verdict its unreadability is. */
    read: async (d: { mediaType: string; digest: string; size: number }): Promise<Buffer | Verdict> => {
      try {
        return await ctx.source.blob(d, ctx.maxBytes, ctx.signal);
      } catch (err) {
        const message = (err as Error).message;
        return { verified: false, signer: null, problem: { code: /over the .*limit/.test(message) ? 'too-large' : 'malformed', message: `${what}: ${d.digest} unreadable: ${message}` } };
      }
    },
  };
}

export const nothing = (): Verified => ({ signatures: [], attestations: [] });
