// A Notary Project JWS envelope (application/jose+json): JWS JSON serialization, flattened, whose protected
// header carries alg (PS256/384/512, ES256/384/512), cty application/vnd.cncf.notary.payload.v1+json, crit,
// io.cncf.notary.signingScheme and signingTime (or authenticSigningTime), optionally io.cncf.notary.expiry,
// and whose unprotected header carries x5c (the chain, leaf first). The signature check itself is jose's
// (flattenedVerify with the leaf's key), which also rejects a critical header it is not told about.
import { X509Certificate, type KeyObject } from 'node:crypto';
import { errors, flattenedVerify, type FlattenedJWSInput } from 'jose';
import { z } from 'zod';

export const payloadContentType = 'application/vnd.cncf.notary.payload.v1+json';
const algorithms = ['PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512'] as const;
/** Headers a notation verifier understands and may see listed in crit. */
const understoodCritical = { 'io.cncf.notary.signingScheme': true, 'io.cncf.notary.expiry': true, 'io.cncf.notary.authenticSigningTime': true } as const;

const b64url = z.string().regex(/^[A-Za-z0-9_-]*$/, 'base64url');
const Envelope = z
  .object({
    payload: b64url,
    protected: b64url.min(1),
    header: z.looseObject({ x5c: z.array(z.string().min(1)).min(1).max(10) }),
    signature: b64url.min(1),
  })
  .loose();

const ProtectedHeader = z.looseObject({
  alg: z.enum(algorithms),
  cty: z.string(),
  crit: z.array(z.string()).min(1),
  'io.cncf.notary.signingScheme': z.string(),
  'io.cncf.notary.signingTime': z.iso.datetime({ offset: true }).optional(),
  'io.cncf.notary.authenticSigningTime': z.iso.datetime({ offset: true }).optional(),
  'io.cncf.notary.expiry': z.iso.datetime({ offset: true }).optional(),
});
export type ProtectedHeader = z.infer<typeof ProtectedHeader>;

export const Payload = z.looseObject({
  targetArtifact: z.looseObject({
    mediaType: z.string(),
    digest: z.string(),
    size: z.number().int().nonnegative(),
    annotations: z.record(z.string(), z.string()).optional(),
  }),
});
export type Payload = z.infer<typeof Payload>;

export type Parsed = { ok: true; jws: FlattenedJWSInput; header: ProtectedHeader; chain: X509Certificate[] } | { ok: false; code: 'malformed' | 'unsupported'; message: string };

/** Reads the envelope's structure and certificates (nothing is trusted yet). */
export function parseJwsEnvelope(bytes: Buffer): Parsed {
  let json: unknown;
  try {
    json = JSON.parse(bytes.toString('utf8'));
  } catch {
    return { ok: false, code: 'malformed', message: 'the JWS envelope is not JSON' };
  }
  const envelope = Envelope.safeParse(json);
  if (!envelope.success) return { ok: false, code: 'malformed', message: `not a JWS JSON envelope with an x5c chain: ${z.prettifyError(envelope.error)}` };
  let header: unknown;
  try {
    header = JSON.parse(Buffer.from(envelope.data.protected, 'base64url').toString('utf8'));
  } catch {
    return { ok: false, code: 'malformed', message: 'the protected header is not base64url JSON' };
  }
  const parsedHeader = ProtectedHeader.safeParse(header);
  if (!parsedHeader.success) return { ok: false, code: 'malformed', message: `the protected header is not a Notary Project one: ${z.prettifyError(parsedHeader.error)}` };
  const chain: X509Certificate[] = [];
  for (const [i, der] of envelope.data.header.x5c.entries()) {
    try {
      chain.push(new X509Certificate(Buffer.from(der, 'base64')));
    } catch (err) {
      return { ok: false, code: 'malformed', message: `x5c certificate ${i + 1} is not an X.509 certificate: ${(err as Error).message}` };
    }
  }
  const { payload, protected: protectedHeader, header: unprotected, signature } = envelope.data;
  return { ok: true, jws: { payload, protected: protectedHeader, header: unprotected, signature }, header: parsedHeader.data, chain };
}

/** The algorithm notation pairs with a key: RSA 2048/3072/4096 → PS256/384/512, EC P-256/384/521 → ES256/384/512. */
export function algorithmFor(key: KeyObject): (typeof algorithms)[number] | null {
  const d = key.asymmetricKeyDetails;
  if (key.asymmetricKeyType === 'rsa' || key.asymmetricKeyType === 'rsa-pss') return ({ 2048: 'PS256', 3072: 'PS384', 4096: 'PS512' } as const)[d?.modulusLength as 2048] ?? null;
  if (key.asymmetricKeyType === 'ec') return ({ prime256v1: 'ES256', secp384r1: 'ES384', secp521r1: 'ES512' } as const)[d?.namedCurve as 'prime256v1'] ?? null;
  return null;
}

export type Checked = { ok: true; payload: Buffer } | { ok: false; code: 'signature-invalid' | 'malformed' | 'unsupported'; message: string };

/** Verifies the JWS signature under the leaf certificate's key; the payload bytes when it holds. */
export async function verifyJws(parsed: Extract<Parsed, { ok: true }>): Promise<Checked> {
  const leaf = parsed.chain[0]!;
  const expected = algorithmFor(leaf.publicKey);
  if (!expected) return { ok: false, code: 'unsupported', message: `the signing certificate's key (${leaf.publicKey.asymmetricKeyType}) is not one the Notary Project signs with` };
  if (parsed.header.alg !== expected) return { ok: false, code: 'malformed', message: `the envelope says ${parsed.header.alg} but the signing certificate's key signs with ${expected}` };
  try {
    const result = await flattenedVerify(parsed.jws, leaf.publicKey, { algorithms: [expected], crit: understoodCritical });
    return { ok: true, payload: Buffer.from(result.payload) };
  } catch (err) {
    if (err instanceof errors.JWSSignatureVerificationFailed) return { ok: false, code: 'signature-invalid', message: 'the envelope signature does not verify under its signing certificate: the payload, protected header or signature was altered' };
    if (err instanceof errors.JOSENotSupported) return { ok: false, code: 'unsupported', message: `the envelope needs what posture does not verify: ${err.message}` };
    return { ok: false, code: 'malformed', message: `the envelope is not a valid JWS: ${(err as Error).message}` };
  }
}
