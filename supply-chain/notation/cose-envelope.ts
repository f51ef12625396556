// A Notary Project COSE envelope (application/cose): a COSE_Sign1_Tagged message (CBOR tag 18) whose protected
// header carries alg (label 1: PS256 -37, PS384 -38, PS512 -39, ES256 -7, ES384 -35, ES512 -36), crit (label
// 2), content type (label 3) and the notary headers by their text labels (signingScheme, signingTime and expiry
// as CBOR tag 1 date-times), and whose unprotected header carries x5chain (label 33, leaf first). The
// signature covers the Sig_structure ["Signature1", protected bytes, empty external aad, payload] (RFC 9052);
// PS* is RSASSA-PSS with a salt as long as the hash (RFC 8230), ES* a raw r||s ECDSA signature. CBOR is read
// and written by cbor2; the header is handed on in the JWS header's terms so the checks after are shared.
import { constants, verify, X509Certificate } from 'node:crypto';
import { decode, encode, Tag } from 'cbor2';
import { algorithmFor, type Checked, type ProtectedHeader } from './jws-envelope.ts';

const algorithms = new Map<number, ProtectedHeader['alg']>([
  [-37, 'PS256'],
  [-38, 'PS384'],
  [-39, 'PS512'],
  [-7, 'ES256'],
  [-35, 'ES384'],
  [-36, 'ES512'],
]);
const understoodCritical = new Set(['io.cncf.notary.signingScheme', 'io.cncf.notary.expiry', 'io.cncf.notary.authenticSigningTime']);
const maxChain = 10;

export type CoseParsed =
  | { ok: true; header: ProtectedHeader; chain: X509Certificate[]; toBeSigned: Buffer; signature: Buffer; payload: Buffer }
  | { ok: false; code: 'malformed' | 'unsupported'; message: string };

const bytesOf = (v: unknown): Buffer | null => (v instanceof Uint8Array ? Buffer.from(v) : null);
const isoOf = (v: unknown): string | undefined | null => (v === undefined ? undefined : v instanceof Date && !Number.isNaN(v.getTime()) ? v.toISOString() : null);

export function parseCoseEnvelope(bytes: Buffer): CoseParsed {
  const bad = (message: string): CoseParsed => ({ ok: false, code: 'malformed', message });
  let message: unknown;
  try {
    message = decode(bytes, { preferMap: true });
  } catch (err) {
    return bad(`the COSE envelope is not CBOR: ${(err as Error).message}`);
  }
  if (!(message instanceof Tag) || Number(message.tag) !== 18 || !Array.isArray(message.contents) || message.contents.length !== 4) {
    return bad('not a COSE_Sign1_Tagged message (CBOR tag 18 over a four-element array)');
  }
  const [protectedBytes, unprotected, payloadBytes, signatureBytes] = message.contents as unknown[];
  const protectedRaw = bytesOf(protectedBytes);
  const payload = bytesOf(payloadBytes);
  const signature = bytesOf(signatureBytes);
  if (!protectedRaw || !payload || !signature || !(unprotected instanceof Map)) return bad('the COSE_Sign1 message lacks a protected header, an attached payload or a signature');
  let protectedMap: unknown;
  try {
    protectedMap = decode(protectedRaw, { preferMap: true });
  } catch (err) {
    return bad(`the protected header is not CBOR: ${(err as Error).message}`);
  }
  if (!(protectedMap instanceof Map)) return bad('the protected header is not a CBOR map');
  const alg = algorithms.get(Number(protectedMap.get(1)));
  if (!alg) return { ok: false, code: 'unsupported', message: `COSE algorithm ${String(protectedMap.get(1))} is not one the Notary Project signs with` };
  const crit = protectedMap.get(2);
  if (!Array.isArray(crit) || crit.length === 0) return bad('the protected header has no crit list');
  const unknown = crit.filter((label) => typeof label !== 'string' || !understoodCritical.has(label));
  if (unknown.length) return { ok: false, code: 'unsupported', message: `the envelope marks headers posture does not understand as critical: ${unknown.map(String).join(', ')}` };
  const missing = crit.filter((label) => !protectedMap.has(label));
  if (missing.length) return bad(`crit lists headers the protected header lacks: ${missing.join(', ')}`);
  const cty = protectedMap.get(3);
  const scheme = protectedMap.get('io.cncf.notary.signingScheme');
  if (typeof cty !== 'string' || typeof scheme !== 'string') return bad('the protected header has no content type or io.cncf.notary.signingScheme');
  const times = {
    signingTime: isoOf(protectedMap.get('io.cncf.notary.signingTime')),
    authenticSigningTime: isoOf(protectedMap.get('io.cncf.notary.authenticSigningTime')),
    expiry: isoOf(protectedMap.get('io.cncf.notary.expiry')),
  };
  if (Object.values(times).some((t) => t === null)) return bad('a notary time header is not a CBOR date-time');
  const x5chain = unprotected.get(33);
  const ders = Array.isArray(x5chain) ? x5chain : x5chain === undefined ? [] : [x5chain];
  if (ders.length === 0 || ders.length > maxChain) return bad(`x5chain holds ${ders.length} certificates (1 to ${maxChain})`);
  const chain: X509Certificate[] = [];
  for (const [i, der] of ders.entries()) {
    const raw = bytesOf(der);
    try {
      if (!raw) throw new Error('not a byte string');
      chain.push(new X509Certificate(raw));
    } catch (err) {
      return bad(`x5chain certificate ${i + 1} is not an X.509 certificate: ${(err as Error).message}`);
    }
  }
  const header: ProtectedHeader = {
    alg,
    cty,
    crit: crit as string[],
    'io.cncf.notary.signingScheme': scheme,
    ...(times.signingTime ? { 'io.cncf.notary.signingTime': times.signingTime } : {}),
    ...(times.authenticSigningTime ? { 'io.cncf.notary.authenticSigningTime': times.authenticSigningTime } : {}),
    ...(times.expiry ? { 'io.cncf.notary.expiry': times.expiry } : {}),
  };
  // Plain Uint8Arrays: cbor2 writes a Node Buffer as an object (its toJSON), not as a byte string.
  const plain = (b: Buffer) => new Uint8Array(b.buffer, b.byteOffset, b.length);
  const toBeSigned = Buffer.from(encode(['Signature1', plain(protectedRaw), new Uint8Array(0), plain(payload)]));
  return { ok: true, header, chain, toBeSigned, signature, payload };
}

/** Verifies the COSE signature under the leaf certificate's key; the payload bytes when it holds. */
export function verifyCose(parsed: Extract<CoseParsed, { ok: true }>): Checked {
  const leaf = parsed.chain[0]!;
  const expected = algorithmFor(leaf.publicKey);
  if (!expected) return { ok: false, code: 'unsupported', message: `the signing certificate's key (${leaf.publicKey.asymmetricKeyType}) is not one the Notary Project signs with` };
  if (parsed.header.alg !== expected) return { ok: false, code: 'malformed', message: `the envelope says ${parsed.header.alg} but the signing certificate's key signs with ${expected}` };
  const hash = `sha${expected.slice(2)}`;
  const key = expected.startsWith('PS')
    ? { key: leaf.publicKey, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: Number(expected.slice(2)) / 8 }
    : { key: leaf.publicKey, dsaEncoding: 'ieee-p1363' as const };
  let valid = false;
  try {
    valid = verify(hash, parsed.toBeSigned, key, parsed.signature);
  } catch {
    valid = false;
  }
  if (!valid) return { ok: false, code: 'signature-invalid', message: 'the envelope signature does not verify under its signing certificate: the payload, protected header or signature was altered' };
  return { ok: true, payload: parsed.payload };
}
