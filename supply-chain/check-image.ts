// IMG-007's input: for one image, the signatures cosign left for it and how each verified under the policy
// that covers the image. Signatures are looked for on the image's own digest and, for an image pulled
// through a multi-platform index, on the index digest too (cosign signs what it was given).
import type { ImageAsset, ImageSignature, SupplyChainStatus } from '../core/asset.ts';
import type { ScanErrorEntry } from '../providers/oci/errors.ts';
import { policyFor, type SupplyChainConfig, type SignaturePolicy } from './config.ts';
import { discoverArtifacts, simpleSigningLayersOf, type ArtifactSource, type Candidate } from './discover.ts';
import { loadKey, type TrustedKey } from './keys.ts';
import { parseBundle, verifyKeyBundle, cosignSignPredicate } from './sigstore-bundle.ts';
import { verifySimpleSigningLayer, type Verdict } from './simple-signing.ts';

export interface SignatureCheck {
  /** Absent when nothing verified and some discovery path failed: the image is then not judged. */
  signatures?: ImageSignature[];
  supplyChain: SupplyChainStatus;
  scanErrors: ScanErrorEntry[];
}

/** Keys are read once per policy and run. */
export class TrustedKeys {
  private readonly cache = new Map<string, TrustedKey[]>();
  keysOf(policy: SignaturePolicy): TrustedKey[] {
    let keys = this.cache.get(policy.name);
    if (!keys) {
      keys = policy.cosign.keys.map(loadKey);
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
  const discovery: SupplyChainStatus['discovery'] = [];
  let complete = true;
  const subjects = [...new Set(digests)];
  for (const subject of subjects) {
    const found = await discoverArtifacts(source, subject, { limits, ...(signal ? { signal } : {}) });
    discovery.push(...found.attempts.map((a) => ({ ...a, via: subjects.length > 1 ? `${a.via} (${subject})` : a.via })));
    complete &&= found.complete;
    for (const candidate of found.candidates) signatures.push(...(await verifyCandidate(source, candidate, subject, keys, limits.maxSignatureBytes, signal)));
  }
  const supplyChain: SupplyChainStatus = { policy: policy.name, discovery };
  if (!complete && !signatures.some((s) => s.verified)) {
    const failed = discovery.filter((d) => d.error).map((d) => d.error);
    return { supplyChain, scanErrors: [{ code: 'signatures-unreadable', message: `signatures not judged: ${failed.join('; ')}` }] };
  }
  return { signatures, supplyChain, scanErrors: [] };
}

async function verifyCandidate(source: ArtifactSource, c: Candidate, subject: string, keys: readonly TrustedKey[], maxBytes: number, signal?: AbortSignal): Promise<ImageSignature[]> {
  const what = `${source.registry}/${source.repository}@${c.digest}`;
  const base = { foundBy: c.via, artifact: c.digest, subject };
  const entry = (format: ImageSignature['format'], v: Verdict): ImageSignature => ({
    format,
    ...base,
    verified: v.verified,
    signer: v.key ? { kind: 'key', key: v.key } : null,
    problem: v.problem,
  });
  const read = (d: { mediaType: string; digest: string; size: number }) => source.blob(d, maxBytes, signal);
  if (c.kind === 'cosign-sig') {
    const layers = simpleSigningLayersOf(c.manifest);
    if (layers.length === 0) return [entry('cosign-simple-signing', { verified: false, key: null, problem: { code: 'malformed', message: `${what}: the .sig manifest has no simple-signing layer` } })];
    const out: ImageSignature[] = [];
    for (const layer of layers) out.push(entry('cosign-simple-signing', await verifySimpleSigningLayer(layer, read, keys, subject, what)));
    return out;
  }
  const layer = c.manifest.layers[0];
  if (!layer) return [entry('sigstore-bundle', { verified: false, key: null, problem: { code: 'malformed', message: `${what}: the bundle manifest has no layer` } })];
  let bytes: Buffer;
  try {
    bytes = await read(layer);
  } catch (err) {
    const code = /over the .*limit/.test((err as Error).message) ? 'too-large' : 'malformed';
    return [entry('sigstore-bundle', { verified: false, key: null, problem: { code, message: `${what}: bundle ${layer.digest} unreadable: ${(err as Error).message}` } })];
  }
  const parsed = parseBundle(bytes, what);
  if (!parsed.ok) return [entry('sigstore-bundle', { verified: false, key: null, problem: parsed.problem })];
  // An attestation (another predicate) shares this form and these tags, but it is not a signature.
  if (parsed.statement.predicateType !== cosignSignPredicate) return [];
  return [entry('sigstore-bundle', verifyKeyBundle(parsed, keys, subject, what))];
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
        supplyChain: check.supplyChain,
        scanErrors: [...asset.image.scanErrors, ...check.scanErrors],
      },
    });
  }
  return out;
}
