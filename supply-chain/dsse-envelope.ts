// cosign's legacy attestation form: the tag `sha256-<hex>.att` holds a manifest whose every layer is a DSSE
// envelope (JSON: payloadType, base64 payload, signatures) over an in-toto statement. The signature covers
// the DSSE pre-authentication encoding of payload type and payload.
import { dsse } from '@sigstore/core';
import { z } from 'zod';
import type { SupplyChainProblem } from '../core/asset.ts';
import type { TrustedKey } from './keys.ts';
import { Statement, subjectMismatch } from './sigstore-bundle.ts';
import { verifyWith, type Verdict } from './simple-signing.ts';

const Envelope = z.looseObject({
  payloadType: z.string(),
  payload: z.string(),
  signatures: z.array(z.looseObject({ sig: z.string(), keyid: z.string().optional() })).min(1).max(16),
});

export type ParsedEnvelope = { ok: true; statement: Statement; pae: Buffer; signatures: Buffer[] } | { ok: false; problem: SupplyChainProblem };

export function parseEnvelope(bytes: Buffer, what: string): ParsedEnvelope {
  const fail = (code: SupplyChainProblem['code'], message: string): ParsedEnvelope => ({ ok: false, problem: { code, message: `${what}: ${message}` } });
  let envelope: z.infer<typeof Envelope>;
  try {
    const parsed = Envelope.safeParse(JSON.parse(bytes.toString('utf8')));
    if (!parsed.success) return fail('malformed', `not a DSSE envelope: ${z.prettifyError(parsed.error)}`);
    envelope = parsed.data;
  } catch {
    return fail('malformed', 'not a DSSE envelope: not JSON');
  }
  if (envelope.payloadType !== 'application/vnd.in-toto+json') return fail('unsupported', `DSSE payload type ${JSON.stringify(envelope.payloadType)} is not an in-toto statement`);
  const payload = Buffer.from(envelope.payload, 'base64');
  let statement: Statement;
  try {
    const parsed = Statement.safeParse(JSON.parse(payload.toString('utf8')));
    if (!parsed.success) return fail('malformed', `the envelope's payload is not an in-toto statement: ${z.prettifyError(parsed.error)}`);
    statement = parsed.data;
  } catch {
    return fail('malformed', "the envelope's payload is not JSON");
  }
  return { ok: true, statement, pae: dsse.preAuthEncoding(envelope.payloadType, payload), signatures: envelope.signatures.map((s) => Buffer.from(s.sig, 'base64')) };
}

export function verifyEnvelope(parsed: Extract<ParsedEnvelope, { ok: true }>, keys: readonly TrustedKey[], subject: string, what: string): Verdict {
  const fail = (code: SupplyChainProblem['code'], message: string): Verdict => ({ verified: false, signer: null, problem: { code, message: `${what}: ${message}` } });
  const signer = keys.find((k) => parsed.signatures.some((sig) => verifyWith(k, parsed.pae, sig)));
  if (!signer) {
    return fail('untrusted-key', `the envelope's signature does not verify under the configured keys (${keys.map((k) => `"${k.name}"`).join(', ')}): made with another key, or altered`);
  }
  const mismatch = subjectMismatch(parsed.statement, subject, signer.name);
  if (mismatch) return fail('subject-mismatch', mismatch);
  return { verified: true, signer: { kind: 'key', key: signer.name }, problem: null };
}
