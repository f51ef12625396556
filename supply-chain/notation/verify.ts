// One notation signature artifact (artifactType application/vnd.cncf.notary.signature, found through the
// referrers API or its fallback tag) judged the way the Notary Project trust policy does at the "strict"
// level, without revocation: the envelope's integrity (JWS or COSE) under its leaf certificate, the certificate chain's
// soundness at the signing time, authenticity (the chain contains a certificate of the policy's trust store),
// the trusted identity (leaf subject), the signature's expiry, the chain's validity now (no timestamp
// countersignature is trusted), and finally that the signed payload names this image: its manifest digest,
// size and media type.
import { z } from 'zod';
import type { ImageSignature, SupplyChainProblem } from '../../core/asset.ts';
import type { Descriptor } from '../../providers/oci/manifest.ts';
import type { ArtifactManifest } from '../discover.ts';
import { chainProblem, parseChainCertificate, validityProblem } from './cert-chain.ts';
import { identityPrefix } from './config.ts';
import { isSubsetOf, parseDistinguishedName, subjectOf } from './distinguished-name.ts';
import { parseCoseEnvelope, verifyCose } from './cose-envelope.ts';
import { Payload, parseJwsEnvelope, payloadContentType, verifyJws } from './jws-envelope.ts';
import type { NotationTrust } from './trust-store.ts';

export const notationArtifactType = 'application/vnd.cncf.notary.signature';
export const EnvelopeTypes = { jws: 'application/jose+json', cose: 'application/cose' } as const;

export type NotationVerdict = Pick<ImageSignature, 'format' | 'verified' | 'signer' | 'problem'>;

export interface NotationInputs {
  manifest: ArtifactManifest;
  readBlob: (d: Descriptor) => Promise<Buffer>;
  /** The image manifest the signature was found for: digest, size and media type, as the registry serves it. */
  target: () => Promise<{ digest: string; size: number; mediaType: string | null }>;
  trust: NotationTrust | null;
  /** `registry/repository@digest` of the signature artifact, for messages. */
  what: string;
  now?: Date;
}

export async function verifyNotationSignature(inputs: NotationInputs): Promise<NotationVerdict> {
  const { manifest, trust, what } = inputs;
  const layer = manifest.layers[0];
  const format: ImageSignature['format'] = layer?.mediaType === EnvelopeTypes.cose ? 'notation-cose' : 'notation-jws';
  const fail = (code: SupplyChainProblem['code'], message: string): NotationVerdict => ({ format, verified: false, signer: null, problem: { code, message: `${what}: ${message}` } });
  if (!layer || manifest.layers.length !== 1) return fail('malformed', `a notation signature manifest holds exactly one envelope layer, this one has ${manifest.layers.length}`);
  if (layer.mediaType !== EnvelopeTypes.jws && layer.mediaType !== EnvelopeTypes.cose) return fail('malformed', `envelope media type ${layer.mediaType} is neither ${EnvelopeTypes.jws} nor ${EnvelopeTypes.cose}`);
  if (!trust) return fail('untrusted-certificate', 'a notation signature, but the policy configures no notation trust store (supplyChain.policies[].notation)');

  let bytes: Buffer;
  try {
    bytes = await inputs.readBlob(layer);
  } catch (err) {
    return fail(/over the .*limit/.test((err as Error).message) ? 'too-large' : 'malformed', `envelope ${layer.digest} unreadable: ${(err as Error).message}`);
  }
  const parsed = format === 'notation-cose' ? parseCoseEnvelope(bytes) : parseJwsEnvelope(bytes);
  if (!parsed.ok) return fail(parsed.code, parsed.message);
  // Integrity: the signature over the protected header and payload, under the leaf certificate's key.
  const checked = 'jws' in parsed ? await verifyJws(parsed) : verifyCose(parsed);
  if (!checked.ok) return fail(checked.code, checked.message);

  const header = parsed.header;
  if (header.cty !== payloadContentType) return fail('malformed', `the payload content type is ${header.cty}, not ${payloadContentType}`);
  const scheme = header['io.cncf.notary.signingScheme'];
  if (scheme === 'notary.x509.signingAuthority') return fail('unsupported', 'signing scheme notary.x509.signingAuthority (a signing authority trust store), which posture does not verify');
  if (scheme !== 'notary.x509') return fail('malformed', `unknown signing scheme "${scheme}"`);
  const critical = new Set(header.crit);
  const mustBeCritical = ['io.cncf.notary.signingScheme', ...(header['io.cncf.notary.expiry'] ? ['io.cncf.notary.expiry'] : [])];
  const notCritical = mustBeCritical.filter((h) => !critical.has(h));
  if (notCritical.length) return fail('malformed', `the protected header does not mark ${notCritical.join(', ')} critical`);
  if (header['io.cncf.notary.authenticSigningTime']) return fail('malformed', 'io.cncf.notary.authenticSigningTime is not allowed under the notary.x509 signing scheme');
  const signingTime = header['io.cncf.notary.signingTime'];
  if (!signingTime) return fail('malformed', 'the protected header has no io.cncf.notary.signingTime');

  let chain;
  try {
    chain = parsed.chain.map(parseChainCertificate);
  } catch (err) {
    return fail('malformed', `a certificate of the chain is unreadable: ${(err as Error).message}`);
  }
  let broken: string | null;
  try {
    broken = chainProblem(chain, new Date(signingTime));
  } catch (err) {
    broken = `a certificate extension of the chain is unreadable: ${(err as Error).message}`;
  }
  if (broken) return fail('invalid-chain', broken);

  // Authenticity: the chain contains a trust-store certificate (the same bytes).
  const anchor = trust.certificates.find((t) => parsed.chain.some((c) => c.raw.equals(t.cert.raw)));
  const leaf = chain[0]!.parsed;
  const root = chain[chain.length - 1]!.parsed;
  if (!anchor) {
    return fail(
      'untrusted-certificate',
      `signed by "${leaf.subject}" under the chain rooted at "${root.subject}", which contains none of the trust store's certificates (${trust.certificates.map((t) => `"${t.name}"`).join(', ')})`,
    );
  }
  // Identity: the leaf's subject matches a trusted identity.
  if (!trust.trustedIdentities.includes('*')) {
    let subject;
    try {
      subject = subjectOf(leaf.subjectName.toJSON(), leaf.subject);
    } catch (err) {
      return fail('untrusted-identity', `the signing certificate's subject cannot be compared with the trusted identities: ${(err as Error).message}`);
    }
    const matched = trust.trustedIdentities.some((id) => isSubsetOf(parseDistinguishedName(id.slice(identityPrefix.length).trim(), { requireIdentityAttributes: true }), subject));
    if (!matched) return fail('untrusted-identity', `signed by "${leaf.subject}" (chain to trust store certificate "${anchor.name}"), which matches none of the trusted identities ${trust.trustedIdentities.map((i) => `"${i}"`).join(', ')}`);
  }
  const now = inputs.now ?? new Date();
  const expiry = header['io.cncf.notary.expiry'];
  if (expiry && now >= new Date(expiry)) return fail('expired', `the signature expired at ${new Date(expiry).toISOString()} (io.cncf.notary.expiry)`);
  const stale = validityProblem(chain, now);
  if (stale) return fail('expired', stale);

  // What was signed: the payload's target artifact is this image's manifest.
  let payload: Payload;
  try {
    const result = Payload.safeParse(JSON.parse(checked.payload.toString('utf8')));
    if (!result.success) return fail('malformed', `the signed payload has no target artifact descriptor: ${z.prettifyError(result.error)}`);
    payload = result.data;
  } catch {
    return fail('malformed', 'the signed payload is not JSON');
  }
  const signed = payload.targetArtifact;
  const target = await inputs.target();
  if (signed.digest !== target.digest) return fail('subject-mismatch', `signed by "${leaf.subject}" for ${signed.digest}, not for this image (${target.digest}): a signature copied from another image`);
  if (signed.size !== target.size) return fail('subject-mismatch', `the signed descriptor says ${signed.size} bytes, but the manifest ${target.digest} is ${target.size}`);
  if (target.mediaType && signed.mediaType !== target.mediaType) return fail('subject-mismatch', `the signed descriptor says media type ${signed.mediaType}, but the manifest ${target.digest} is ${target.mediaType}`);
  return { format, verified: true, signer: { kind: 'x509', subject: leaf.subject, trustedCertificate: anchor.name }, problem: null };
}
