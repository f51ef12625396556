// IMG-007's input: for one image, the signatures cosign left for it and how each verified under the policy
// that covers the image. Signatures are looked for on the image's own digest and, for an image pulled
// through a multi-platform index, on the index digest too (cosign signs what it was given).
import type { ImageAsset, ImageAttestation, ImageSignature, SupplyChainProblem, SupplyChainStatus } from '../core/asset.ts';
import { summarize } from './attestation.ts';
import { parseEnvelope, verifyEnvelope } from './dsse-envelope.ts';
import type { ScanErrorEntry } from '../providers/oci/errors.ts';
import { policyFor, type SupplyChainConfig, type SignaturePolicy } from './config.ts';
import { discoverArtifacts, dsseLayersOf, simpleSigningLayersOf, type ArtifactSource, type Candidate } from './discover.ts';
import { loadKey, type TrustedKey } from './keys.ts';
import { parseBundle, verifyKeyBundle, cosignSignPredicate, type Statement } from './sigstore-bundle.ts';
import { verifySimpleSigningLayer, type Verdict } from './simple-signing.ts';
import { verifyNotationSignature } from './notation/verify.ts';
import { notationTrustFor, type NotationTrust } from './notation/trust-store.ts';

export interface SignatureCheck {
  /** Absent when nothing verified and some discovery path failed: the image is then not judged. */
  signatures?: ImageSignature[];
  /** Absent exactly when `signatures` is. */
  attestations?: ImageAttestation[];
  supplyChain: SupplyChainStatus;
  scanErrors: ScanErrorEntry[];
}

/** Keys are read once per policy and run. */
export class TrustedKeys {
  private readonly cache = new Map<string, TrustedKey[]>();
  keysOf(policy: SignaturePolicy): TrustedKey[] {
    let keys = this.cache.get(policy.name);
    if (!keys) {
      keys = (policy.cosign?.keys ?? []).map(loadKey);
      this.cache.set(policy.name, keys);
    }
    return keys;
  }
}

export async function checkSignatures(
  source: ArtifactSource,
  digests: readonly string[],
  policy: SignaturePolicy,
  keys: readonly TrustedKey[],
  config: SupplyChainConfig,
  signal?: AbortSignal,
): Promise<SignatureCheck> {
  const limits = config.limits;
  const signatures: ImageSignature[] = [];
  const attestations: ImageAttestation[] = [];
  const discovery: SupplyChainStatus['discovery'] = [];
  let complete = true;
  const subjects = [...new Set(digests)];
  const notation = notationTrustFor(policy);
  for (const subject of subjects) {
    const found = await discoverArtifacts(source, subject, { limits, ...(signal ? { signal } : {}) });
    discovery.push(...found.attempts.map((a) => ({ ...a, via: subjects.length > 1 ? `${a.via} (${subject})` : a.via })));
    complete &&= found.complete;
    for (const candidate of found.candidates) {
      const verified = await verifyCandidate(source, candidate, subject, keys, limits.maxSignatureBytes, signal, notation);
      signatures.push(...verified.signatures);
      attestations.push(...verified.attestations);
    }
  }
  const required = policy.attestations;
  const supplyChain: SupplyChainStatus = {
    policy: policy.name,
    ...(required?.provenance ? { provenance: required.provenance } : {}),
    ...(required?.sbom ? { sbom: true as const } : {}),
    discovery,
  };
  if (!complete && !signatures.some((s) => s.verified)) {
    const failed = discovery.filter((d) => d.error).map((d) => d.error);
    return { supplyChain, scanErrors: [{ code: 'signatures-unreadable', message: `signatures not judged: ${failed.join('; ')}` }] };
  }
  return { signatures, attestations, supplyChain, scanErrors: [] };
}

interface Verified {
  signatures: ImageSignature[];
  attestations: ImageAttestation[];
}

async function verifyCandidate(
  source: ArtifactSource,
  c: Candidate,
  subject: string,
  keys: readonly TrustedKey[],
  maxBytes: number,
  signal?: AbortSignal,
  notation: NotationTrust | null = null,
): Promise<Verified> {
  const what = `${source.registry}/${source.repository}@${c.digest}`;
  const base = { foundBy: c.via, artifact: c.digest, subject };
  const entry = (format: ImageSignature['format'], v: Verdict): ImageSignature => ({
    format,
    ...base,
    verified: v.verified,
    signer: v.key ? { kind: 'key', key: v.key } : null,
    problem: v.problem,
  });
  const attestation = (format: ImageSignature['format'], statement: Statement, v: Verdict): ImageAttestation => ({
    ...entry(format, v),
    predicateType: statement.predicateType,
    // What a statement says counts only once its signature verified.
    ...(v.verified ? summarize(statement) : { provenance: null, sbom: null }),
  });
  const none: Verified = { signatures: [], attestations: [] };
  const problem = (code: SupplyChainProblem['code'], message: string): Verdict => ({ verified: false, key: null, problem: { code, message: `${what}: ${message}` } });
  const read = async (d: { mediaType: string; digest: string; size: number }): Promise<Buffer | Verdict> => {
    try {
      return await source.blob(d, maxBytes, signal);
    } catch (err) {
      return problem(/over the .*limit/.test((err as Error).message) ? 'too-large' : 'malformed', `${d.digest} unreadable: ${(err as Error).message}`);
    }
  };
  if (c.kind === 'notation') {
    const target = async () => {
      const fetched = await source.manifest({ mediaType: '', digest: subject, size: 0 }, maxBytes, signal);
      return { digest: fetched.digest, size: fetched.bytes.length, mediaType: manifestMediaType(fetched.bytes) ?? fetched.mediaType };
    };
    const verdict = await verifyNotationSignature({ manifest: c.manifest, readBlob: (d) => source.blob(d, maxBytes, signal), target, trust: notation, what });
    return { ...none, signatures: [{ ...base, ...verdict }] };
  }
  if (c.kind === 'cosign-sig') {
    const layers = simpleSigningLayersOf(c.manifest);
    if (layers.length === 0) return { ...none, signatures: [entry('cosign-simple-signing', problem('malformed', 'the .sig manifest has no simple-signing layer'))] };
    const signatures: ImageSignature[] = [];
    for (const layer of layers) signatures.push(entry('cosign-simple-signing', await verifySimpleSigningLayer(layer, (d) => source.blob(d, maxBytes, signal), keys, subject, what)));
    return { ...none, signatures };
  }
  if (c.kind === 'cosign-att') {
    const attestations: ImageAttestation[] = [];
    for (const layer of dsseLayersOf(c.manifest)) {
      const bytes = await read(layer);
      if (!Buffer.isBuffer(bytes)) continue; // an unreadable envelope names no predicate; the others still count
      const parsed = parseEnvelope(bytes, what);
      if (parsed.ok) attestations.push(attestation('cosign-dsse', parsed.statement, verifyEnvelope(parsed, keys, subject, what)));
    }
    return { ...none, attestations };
  }
  const layer = c.manifest.layers[0];
  if (!layer) return { ...none, signatures: [entry('sigstore-bundle', problem('malformed', 'the bundle manifest has no layer'))] };
  const bytes = await read(layer);
  if (!Buffer.isBuffer(bytes)) return { ...none, signatures: [entry('sigstore-bundle', bytes)] };
  const parsed = parseBundle(bytes, what);
  if (!parsed.ok) return { ...none, signatures: [entry('sigstore-bundle', { verified: false, key: null, problem: parsed.problem })] };
  const verdict = verifyKeyBundle(parsed, keys, subject, what);
  // cosign attest writes the same bundle form with another predicate: an attestation, not a signature.
  if (parsed.statement.predicateType !== cosignSignPredicate) return { ...none, attestations: [attestation('sigstore-bundle', parsed.statement, verdict)] };
  return { ...none, signatures: [entry('sigstore-bundle', verdict)] };
}

/** The `mediaType` a manifest declares about itself, when it does. */
function manifestMediaType(bytes: Buffer): string | null {
  try {
    const declared = (JSON.parse(bytes.toString('utf8')) as { mediaType?: unknown }).mediaType;
    return typeof declared === 'string' ? declared : null;
  } catch {
    return null;
  }
}

export interface SupplyChainOptions {
  config: SupplyChainConfig;
  /** Shared by a run, so each key file is read once. */
  keys: TrustedKeys;
  /** The registry name policies are matched against, when the image was pulled through another endpoint. */
  registry?: string;
}

/** Adds `signatures` and `supplyChain` to each image a policy covers; images no policy covers are left as they are. */
export async function attachSignatures(source: ArtifactSource, assets: ImageAsset[], options: SupplyChainOptions, signal?: AbortSignal): Promise<ImageAsset[]> {
  const policy = policyFor(options.config, options.registry ?? source.registry, source.repository);
  if (!policy) return assets;
  const keys = options.keys.keysOf(policy);
  const out: ImageAsset[] = [];
  for (const asset of assets) {
    const digests = [asset.image.digest, ...(asset.image.reference.digest ? [asset.image.reference.digest] : [])];
    const check = await checkSignatures(source, digests, policy, keys, options.config, signal);
    out.push({
      ...asset,
      image: {
        ...asset.image,
        ...(check.signatures ? { signatures: check.signatures } : {}),
        ...(check.attestations ? { attestations: check.attestations } : {}),
        supplyChain: check.supplyChain,
        scanErrors: [...asset.image.scanErrors, ...check.scanErrors],
      },
    });
  }
  return out;
}
