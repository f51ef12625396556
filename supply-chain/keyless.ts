// Keyless (Sigstore certificate) signatures: a bundle whose verification material is a short-lived leaf
// certificate. sigstore-js checks, against the policy's trusted root, that the certificate chains to one of
// its certificate authorities at the time the signature was logged (or timestamped), that the transparency-
// log entry is included in one of its logs (inclusion promise and/or proof against a signed checkpoint) and
// records this very signature, and that the signature verifies under the certificate's key. The identity
// (subject alternative name) and OIDC issuer (Fulcio extension 1.3.6.1.4.1.57264.1.8, or .1.1) are then
// matched here against the policy's allowed pairs, so a refusal can name which one differed.
import { readFileSync, statSync } from 'node:fs';
import { TrustedRoot } from '@sigstore/protobuf-specs';
import { toSignedEntity, toTrustMaterial, Verifier, VerificationError, type TrustMaterial } from '@sigstore/verify';
import type { SupplyChainProblem } from '../core/asset.ts';
import type { CosignKeyless, KeylessIdentity } from './config.ts';
import { subjectMismatch, type ParsedBundle } from './sigstore-bundle.ts';
import type { Verdict } from './simple-signing.ts';

/** trusted_root.json files are a few KB; anything far larger is not one. */
const maxTrustedRootBytes = 4 * 1024 * 1024;

export interface KeylessTrust {
  trustedRoot: string;
  material: TrustMaterial;
  identities: readonly CompiledIdentity[];
  requireTransparencyLog: boolean;
  requireSct: boolean;
}

interface CompiledIdentity {
  identity: (value: string) => boolean;
  issuer: (value: string) => boolean;
  describe: string;
}

const matcher = (exact: string | undefined, pattern: string | undefined): ((v: string) => boolean) => {
  if (exact !== undefined) return (v) => v === exact;
  const re = new RegExp(pattern!, 'u');
  return (v) => re.test(v);
};

function compile(i: KeylessIdentity): CompiledIdentity {
  const identity = i.identity !== undefined ? JSON.stringify(i.identity) : `/${i.identityRegExp}/`;
  const issuer = i.issuer !== undefined ? JSON.stringify(i.issuer) : `/${i.issuerRegExp}/`;
  return { identity: matcher(i.identity, i.identityRegExp), issuer: matcher(i.issuer, i.issuerRegExp), describe: `${identity} from ${issuer}` };
}

/** Reads and checks the policy's trusted root; a file that is not one is a configuration error naming it. */
export function loadKeylessTrust(spec: CosignKeyless, policy: string): KeylessTrust {
  const where = `supplyChain policy "${policy}" keyless.trustedRoot (${spec.trustedRoot})`;
  let text: string;
  try {
    const size = statSync(spec.trustedRoot).size;
    if (size > maxTrustedRootBytes) throw new Error(`${size} bytes, over the ${maxTrustedRootBytes}-byte limit for a trusted root`);
    text = readFileSync(spec.trustedRoot, 'utf8');
  } catch (err) {
    throw new Error(`${where}: cannot read it: ${(err as Error).message}`);
  }
  let material: TrustMaterial;
  try {
    const root = TrustedRoot.fromJSON(JSON.parse(text));
    material = toTrustMaterial(root);
  } catch (err) {
    throw new Error(`${where}: not a Sigstore trusted root: ${(err as Error).message}`);
  }
  if (material.certificateAuthorities.length === 0) throw new Error(`${where}: names no certificate authority, so no keyless signature could verify`);
  if (spec.requireTransparencyLog && material.tlogs.length === 0) throw new Error(`${where}: names no transparency log, but the policy requires one (requireTransparencyLog)`);
  if (spec.requireSct && material.ctlogs.length === 0) throw new Error(`${where}: names no certificate-transparency log, but the policy requires an SCT (requireSct: false for a CA without one)`);
  return { trustedRoot: spec.trustedRoot, material, identities: spec.identities.map(compile), requireTransparencyLog: spec.requireTransparencyLog, requireSct: spec.requireSct };
}

/** Verifies a parsed bundle signed with a certificate under the policy's keyless trust, and that it signs `subject`. */
export function verifyKeylessBundle(parsed: Extract<ParsedBundle, { ok: true }>, trust: KeylessTrust, subject: string, what: string): Verdict {
  const fail = (code: SupplyChainProblem['code'], message: string): Verdict => ({ verified: false, signer: null, problem: { code, message: `${what}: ${message}` } });
  let entity: ReturnType<typeof toSignedEntity>;
  try {
    entity = toSignedEntity(parsed.bundle);
  } catch (err) {
    return fail('malformed', `the bundle's certificate or log entries cannot be read: ${(err as Error).message}`);
  }
  if (trust.requireTransparencyLog && entity.tlogEntries.length === 0) {
    return fail('tlog-missing', `has no transparency-log entry, and the policy requires one (its trusted root ${trust.trustedRoot})`);
  }
  const verifier = new Verifier(trust.material, {
    tlogThreshold: trust.requireTransparencyLog ? 1 : 0,
    ctlogThreshold: trust.requireSct ? 1 : 0,
    // A short-lived certificate is judged at a verified time: the log's integrated time or an RFC 3161 timestamp.
    timestampThreshold: 1,
  });
  let signer: ReturnType<Verifier['verify']>;
  try {
    signer = verifier.verify(entity);
  } catch (err) {
    const [code, message] = explain(err, trust);
    return fail(code, message);
  }
  const identity = signer.identity?.subjectAlternativeName ?? '';
  const issuer = signer.identity?.extensions?.issuer ?? '';
  const allowed = trust.identities.find((i) => i.identity(identity) && i.issuer(issuer));
  if (!allowed) {
    const sameIssuer = trust.identities.some((i) => i.issuer(issuer));
    const sameIdentity = trust.identities.some((i) => i.identity(identity));
    const differs = sameIssuer ? 'its identity is not allowed' : sameIdentity ? 'its OIDC issuer is not allowed' : 'neither its identity nor its OIDC issuer is allowed';
    return fail('untrusted-identity', `signed by ${JSON.stringify(identity || '(no identity)')} from issuer ${JSON.stringify(issuer || '(none)')}: ${differs} (the policy allows ${trust.identities.map((i) => i.describe).join('; ')})`);
  }
  const who = `${identity} (${issuer})`;
  const mismatch = subjectMismatch(parsed.statement, subject, who);
  if (mismatch) return fail('subject-mismatch', mismatch);
  return { verified: true, signer: { kind: 'keyless', identity, issuer }, problem: null };
}

/** sigstore-js's refusal as one of our problem codes, with what a reader needs to act on it. */
function explain(err: unknown, trust: KeylessTrust): [SupplyChainProblem['code'], string] {
  if (!(err instanceof VerificationError)) return ['malformed', `cannot be verified: ${(err as Error).message}`];
  const causes: string[] = [];
  for (let e: unknown = err.cause; e instanceof Error && causes.length < 4; e = (e as { cause?: unknown }).cause) causes.push(e.message);
  const detail = [err.message, ...causes].join(': ');
  switch (err.code) {
    case 'CERTIFICATE_ERROR':
      if (causes.some((c) => /expired|not valid/.test(c))) return ['expired', `its certificate was not valid at the time the signature was logged or timestamped (${detail})`];
      if (/SCT/.test(err.message)) return ['untrusted-certificate', `its certificate carries no SCT from the trusted root's certificate-transparency logs (${detail})`];
      return ['untrusted-certificate', `its certificate does not chain to a certificate authority of the trusted root ${trust.trustedRoot} (${detail})`];
    case 'TIMESTAMP_ERROR':
      return ['tlog-missing', `has no verified time (a transparency-log entry with an inclusion promise, or an RFC 3161 timestamp) to judge its short-lived certificate at (${detail})`];
    case 'TLOG_ERROR':
      return /expected \d+ tlog entries/.test(err.message) ? ['tlog-missing', `has no transparency-log entry, and the policy requires one (${detail})`] : ['tlog-invalid', `its transparency-log entries do not verify (${detail})`];
    case 'TLOG_BODY_ERROR':
      return ['tlog-invalid', `its transparency-log entry records another signature or payload, not this one (${detail})`];
    case 'TLOG_INCLUSION_PROMISE_ERROR':
    case 'TLOG_INCLUSION_PROOF_ERROR':
    case 'TLOG_MISSING_INCLUSION_ERROR':
      return ['tlog-invalid', `its transparency-log entry is not proven included in a log of the trusted root ${trust.trustedRoot} (${detail})`];
    case 'SIGNATURE_ERROR':
      return ['signature-invalid', `its signature does not verify under its certificate's key: the statement or the signature was altered (${detail})`];
    default:
      return ['malformed', `cannot be verified: ${detail}`];
  }
}
