// Notary Project (notation) signatures found through the referrers API or its fallback tag, judged under the
// policy's notation trust store (supply-chain/notation/verify.ts). The signed descriptor is compared with the
// image manifest as the registry serves it for the digest the signature was found for.
import { verifyNotationSignature } from '../notation/verify.ts';
import { entries, nothing, type ArtifactVerifier } from './types.ts';

export const verifyNotation: ArtifactVerifier = async (candidate, ctx) => {
  const { what } = entries(ctx, candidate);
  const target = async () => {
    const fetched = await ctx.source.manifest({ mediaType: '', digest: ctx.subject, size: 0 }, ctx.maxBytes, ctx.signal);
    return { digest: fetched.digest, size: fetched.bytes.length, mediaType: manifestMediaType(fetched.bytes) ?? fetched.mediaType };
  };
  const verdict = await verifyNotationSignature({ manifest: candidate.manifest, readBlob: (d) => ctx.source.blob(d, ctx.maxBytes, ctx.signal), target, trust: ctx.trust.notation, what });
  return { ...nothing(), signatures: [{ foundBy: candidate.via, artifact: candidate.digest, subject: ctx.subject, ...verdict }] };
};

/** The `mediaType` a manifest declares about itself, when it does. */
function manifestMediaType(bytes: Buffer): string | null {
  try {
    const declared = (JSON.parse(bytes.toString('utf8')) as { mediaType?: unknown }).mediaType;
    return typeof declared === 'string' ? declared : null;
  } catch {
    return null;
  }
}
