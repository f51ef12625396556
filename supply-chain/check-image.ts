// IMG-007's input: for one image, the signatures left for it and how each verified under the policy that
// covers the image. Signatures are looked for on the image's own digest and, for an image pulled through a
// multi-platform index, on the index digest too (cosign signs what it was given). Each artifact found is
// handed to the verifier registered for its kind (supply-chain/verifiers/).
import type { ImageAsset, ImageAttestation, ImageSignature, SupplyChainStatus } from '../core/asset.ts';
import type { ScanErrorEntry } from '../providers/oci/errors.ts';
import { policyFor, type SupplyChainConfig, type SignaturePolicy } from './config.ts';
import { discoverArtifacts, type ArtifactSource } from './discover.ts';
import type { PolicyTrust, TrustCache } from './trust.ts';
import { verifiers } from './verifiers/index.ts';

export interface SignatureCheck {
  /** Absent when nothing verified and some discovery path failed: the image is then not judged. */
  signatures?: ImageSignature[];
  /** Absent exactly when `signatures` is. */
  attestations?: ImageAttestation[];
  supplyChain: SupplyChainStatus;
  scanErrors: ScanErrorEntry[];
}

export async function checkSignatures(
  source: ArtifactSource,
  digests: readonly string[],
  policy: SignaturePolicy,
  trust: PolicyTrust,
  config: SupplyChainConfig,
  signal?: AbortSignal,
): Promise<SignatureCheck> {
  const limits = config.limits;
  const signatures: ImageSignature[] = [];
  const attestations: ImageAttestation[] = [];
  const discovery: SupplyChainStatus['discovery'] = [];
  let complete = true;
  const subjects = [...new Set(digests)];
  for (const subject of subjects) {
    const found = await discoverArtifacts(source, subject, { limits, ...(signal ? { signal } : {}) });
    discovery.push(...found.attempts.map((a) => ({ ...a, via: subjects.length > 1 ? `${a.via} (${subject})` : a.via })));
    complete &&= found.complete;
    for (const candidate of found.candidates) {
      const verified = await verifiers[candidate.kind](candidate, { source, subject, trust, maxBytes: limits.maxSignatureBytes, ...(signal ? { signal } : {}) });
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
  // A signature found may be by a key that could not be read this run: none is judged then (an image with no
  // signature at all still fails: no key could have verified nothing).
  if (trust.unavailable.length > 0 && !signatures.some((s) => s.verified) && signatures.length + attestations.length > 0) {
    return { supplyChain, scanErrors: [{ code: 'signatures-unreadable', message: `signatures not judged: ${trust.unavailable.map((u) => u.reason).join('; ')}` }] };
  }
  return { signatures, attestations, supplyChain, scanErrors: [] };
}

export interface SupplyChainOptions {
  config: SupplyChainConfig;
  /** Shared by a run, so each key file and trusted root is read once. */
  trust: TrustCache;
  /** The registry name policies are matched against, when the image was pulled through another endpoint. */
  registry?: string;
}

/** Adds `signatures` and `supplyChain` to each image a policy covers; images no policy covers are left as they are. */
export async function attachSignatures(source: ArtifactSource, assets: ImageAsset[], options: SupplyChainOptions, signal?: AbortSignal): Promise<ImageAsset[]> {
  const policy = policyFor(options.config, options.registry ?? source.registry, source.repository);
  if (!policy) return assets;
  const trust = await options.trust.trustOf(policy);
  const out: ImageAsset[] = [];
  for (const asset of assets) {
    const digests = [asset.image.digest, ...(asset.image.reference.digest ? [asset.image.reference.digest] : [])];
    const check = await checkSignatures(source, digests, policy, trust, options.config, signal);
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
