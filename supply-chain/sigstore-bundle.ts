// cosign v3's default signature form: a Sigstore bundle (v0.3 JSON) stored as an OCI 1.1 referrer of the
// image. The bundle holds a DSSE envelope over an in-toto statement whose subject is the image digest and
// whose predicate type is cosign's signing predicate; attestations use the same form with other predicate
// types. Parsing and signature checks are sigstore-js's (@sigstore/bundle, @sigstore/verify).
import { bundleFromJSON, type Bundle } from '@sigstore/bundle';
import { toSignedEntity, Verifier, type TrustMaterial } from '@sigstore/verify';
import { z } from 'zod';
import type { SupplyChainProblem } from '../core/asset.ts';
import type { TrustedKey } from './keys.ts';
import type { Verdict } from './simple-signing.ts';

export const cosignSignPredicate = 'https://sigstore.dev/cosign/sign/v1';
const inTotoPayloadType = 'application/vnd.in-toto+json';

export const Statement = z.looseObject({
  _type: z.string(),
  subject: z.array(z.looseObject({ name: z.string().optional(), digest: z.record(z.string(), z.string()) })).max(1024),
  predicateType: z.string(),
  predicate: z.unknown().optional(),
});
export type Statement = z.infer<typeof Statement>;

export type ParsedBundle = { ok: true; bundle: Bundle; statement: Statement } | { ok: false; problem: SupplyChainProblem };

/**
 * `cosign sign --certificate-chain` writes the whole chain into a v0.3 bundle, which the bundle spec (and
 * sigstore-js) allow only as the leaf `certificate`. Only the leaf is ever used: the chain is built from the
 * policy's trusted root, never from certificates the bundle brings, so keeping the leaf alone loses nothing
 * (cosign verify accepts such bundles with --allow-certificate-chain).
 */
function leafOnly(json: unknown): unknown {
  const b = json as { mediaType?: unknown; verificationMaterial?: { x509CertificateChain?: { certificates?: unknown[] }; certificate?: unknown } };
  const chain = b?.verificationMaterial?.x509CertificateChain?.certificates;
  if (typeof b?.mediaType !== 'string' || !/v0\.3/.test(b.mediaType) || !Array.isArray(chain) || chain.length === 0) return json;
  const { x509CertificateChain: _chain, ...rest } = b.verificationMaterial!;
  return { ...b, verificationMaterial: { ...rest, certificate: chain[0] } };
}

/** Parses a bundle blob and the in-toto statement in its envelope (not yet verified: the caller checks the signature). */
export function parseBundle(bytes: Buffer, what: string): ParsedBundle {
  const fail = (code: SupplyChainProblem['code'], message: string): ParsedBundle => ({ ok: false, problem: { code, message: `${what}: ${message}` } });
  let bundle: Bundle;
  try {
    bundle = bundleFromJSON(leafOnly(JSON.parse(bytes.toString('utf8'))));
  } catch (err) {
    return fail('malformed', `not a Sigstore bundle: ${(err as Error).message}`);
  }
  if (bundle.content.$case !== 'dsseEnvelope') return fail('unsupported', 'the bundle signs a message digest, not an in-toto statement about the image');
  const envelope = bundle.content.dsseEnvelope;
  if (envelope.payloadType !== inTotoPayloadType) return fail('unsupported', `DSSE payload type ${JSON.stringify(envelope.payloadType)} is not ${inTotoPayloadType}`);
  if (envelope.signatures.length !== 1) return fail('malformed', `the envelope carries ${envelope.signatures.length} signatures; a Sigstore bundle carries one`);
  let statement: Statement;
  try {
    const parsed = Statement.safeParse(JSON.parse(Buffer.from(envelope.payload).toString('utf8')));
    if (!parsed.success) return fail('malformed', `the envelope's payload is not an in-toto statement: ${z.prettifyError(parsed.error)}`);
    statement = parsed.data;
  } catch {
    return fail('malformed', "the envelope's payload is not JSON");
  }
  return { ok: true, bundle, statement };
}

/**
 * Verifies a parsed bundle under the policy's keys and checks that its statement is about `subject`.
 * Transparency-log entries and timestamps are not judged here (key-based policies do not require them), so
 * they are left out before sigstore-js verifies: their presence neither helps nor hurts.
 */
export function verifyKeyBundle(parsed: Extract<ParsedBundle, { ok: true }>, keys: readonly TrustedKey[], subject: string, what: string): Verdict {
  const fail = (code: SupplyChainProblem['code'], message: string): Verdict => ({ verified: false, signer: null, problem: { code, message: `${what}: ${message}` } });
  const { bundle, statement } = parsed;
  const material = bundle.verificationMaterial.content;
  if (material.$case !== 'publicKey') return fail('untrusted-key', 'signed keyless (with a certificate); this policy trusts only its configured keys');
  const hint = material.publicKey.hint;
  const candidates = hint ? keys.filter((k) => k.hint === hint) : keys;
  if (candidates.length === 0) {
    return fail('untrusted-key', `signed with the key whose hint is ${hint}, which is not a configured key (${keys.map((k) => `"${k.name}" ${k.hint}`).join(', ')})`);
  }
  const entity = { ...toSignedEntity(bundle), tlogEntries: [], timestamps: [] };
  let signer: TrustedKey | undefined;
  for (const key of candidates) {
    const trust: TrustMaterial = {
      certificateAuthorities: [],
      timestampAuthorities: [],
      tlogs: [],
      ctlogs: [],
      publicKey: () => ({ publicKey: key.key, validFor: () => true }),
    };
    try {
      new Verifier(trust, { tlogThreshold: 0, ctlogThreshold: 0, timestampThreshold: 0 }).verify(entity);
      signer = key;
      break;
    } catch {
      // try the next candidate key
    }
  }
  if (!signer) {
    return hint
      ? fail('signature-invalid', `names the configured key "${candidates[0]!.name}", but its signature does not verify under it: the statement or the signature was altered`)
      : fail('untrusted-key', `names no key, and its signature verifies under none of the configured keys (${keys.map((k) => `"${k.name}"`).join(', ')})`);
  }
  const mismatch = subjectMismatch(statement, subject, signer.name);
  if (mismatch) return fail('subject-mismatch', mismatch);
  return { verified: true, signer: { kind: 'key', key: signer.name }, problem: null };
}

/** Why a verified statement is not about `subject` (a statement copied from another image), or null when it is. */
export function subjectMismatch(statement: Statement, subject: string, signer: string): string | null {
  const [algorithm, hex] = subject.split(':') as [string, string];
  if (statement.subject.some((s) => s.digest[algorithm] === hex)) return null;
  const named = statement.subject.map((s) => Object.entries(s.digest).map(([a, h]) => `${a}:${h}`).join('/')).join(', ');
  return `signed by key "${signer}" for ${named || 'no digest'}, not for this image (${subject}): a signature copied from another image`;
}
