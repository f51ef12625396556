// Finds what signs one image digest in its repository, along every path cosign and notation use:
//   the OCI 1.1 referrers API (GET /v2/<repo>/referrers/<digest>), or when the registry lacks it the
//   referrers fallback tag `sha256-<hex>` (an index cosign v3 and notation maintain);
//   cosign's legacy tags `sha256-<hex>.sig` (simple signing) and `sha256-<hex>.att` (DSSE attestations).
// Everything read is size-capped and digest-checked by the registry client; a path that fails is recorded
// with its error and the others still run, so the caller can tell "nothing there" from "could not look".
import { z } from 'zod';
import type { ImageSource } from '../providers/oci/image-source.ts';
import type { RegistryClient } from '../providers/oci/registry/client.ts';
import { Descriptor } from '../providers/oci/manifest.ts';
import { withDeadline } from '../providers/oci/deadline.ts';
import type { SupplyChainLimits } from './config.ts';

/** The referrer artifact types posture verifies, each with the verifier it goes to (check-image.ts). */
export const ArtifactTypes = {
  sigstoreBundle: /^application\/vnd\.dev\.sigstore\.bundle(\.v0\.[123]\+json|\+json;version=0\.[123])$/,
  notation: /^application\/vnd\.cncf\.notary\.signature$/,
} as const;

export const CosignLayerTypes = {
  simpleSigning: 'application/vnd.dev.cosign.simplesigning.v1+json',
  dsse: 'application/vnd.dsse.envelope.v1+json',
} as const;

/** The manifest of a signature or attestation artifact (OCI image manifest with the 1.1 fields). */
export const ArtifactManifest = z.looseObject({
  schemaVersion: z.literal(2),
  mediaType: z.string().optional(),
  artifactType: z.string().optional(),
  config: Descriptor,
  layers: z.array(Descriptor),
  subject: Descriptor.optional(),
  annotations: z.record(z.string(), z.string()).optional(),
});
export type ArtifactManifest = z.infer<typeof ArtifactManifest>;

const ReferrersIndex = z.looseObject({
  schemaVersion: z.literal(2),
  manifests: z.array(z.looseObject({ ...Descriptor.shape, artifactType: z.string().optional() })),
});

export type Via = 'referrers-api' | 'referrers-tag' | 'cosign-tag';
export type ArtifactKind = 'sigstore-bundle' | 'cosign-sig' | 'cosign-att' | 'notation';

export interface Candidate {
  via: Via;
  kind: ArtifactKind;
  digest: string;
  manifest: ArtifactManifest;
}

export interface Attempt {
  via: string;
  found: number;
  error: string | null;
}

export interface Discovery {
  candidates: Candidate[];
  attempts: Attempt[];
  /** Every path could be searched (a path that answered "nothing here" counts as searched). */
  complete: boolean;
}

/** What a discovery needs from a registry: tags, referrers and blobs of one repository. */
export type ArtifactSource = Pick<RegistryClient, 'manifestByTag' | 'referrersPage'> & Pick<ImageSource, 'manifest' | 'blob' | 'registry' | 'repository'>;

export interface DiscoverOptions {
  limits: SupplyChainLimits;
  signal?: AbortSignal;
}

export async function discoverArtifacts(source: ArtifactSource, imageDigest: string, options: DiscoverOptions): Promise<Discovery> {
  const { limits } = options;
  const where = `${source.registry}/${source.repository}@${imageDigest}`;
  const hexTag = imageDigest.replace(':', '-');
  const attempts: Attempt[] = [];
  const candidates: Candidate[] = [];
  let budget = limits.maxReferrers;
  const fetchTimed = <T>(label: string, work: (s: AbortSignal) => Promise<T>) => withDeadline(options.signal, limits.manifestMs, `${where} ${label}`, work);

  const take = async (via: Via, listed: z.infer<typeof ReferrersIndex>['manifests'], label: string): Promise<void> => {
    let found = 0;
    const wanted = listed.filter((d) => !d.artifactType || kindOfArtifactType(d.artifactType) !== null);
    if (wanted.length > budget) throw new Error(`${where}: ${label} lists ${wanted.length} signature artifacts, over the limit of ${limits.maxReferrers} (supplyChain.limits.maxReferrers)`);
    budget -= wanted.length;
    for (const d of wanted) {
      const fetched = await fetchTimed(`referrer ${d.digest}`, (s) => source.manifest(d, limits.maxSignatureBytes, s));
      const manifest = parseArtifactManifest(fetched.bytes, `${where} referrer ${d.digest}`);
      const kind = kindOfArtifactType(manifest.artifactType ?? d.artifactType ?? manifest.config.mediaType);
      // What the signature covers is judged from its signed payload, not from this unsigned manifest field.
      if (!kind) continue;
      candidates.push({ via, kind, digest: fetched.digest, manifest });
      found++;
    }
    attempts.push({ via: label, found, error: null });
  };

  // 1. The referrers API, else its fallback tag.
  try {
    const pages: z.infer<typeof ReferrersIndex>['manifests'] = [];
    let page = await fetchTimed('referrers', (s) => source.referrersPage(imageDigest, limits.maxSignatureBytes, s));
    if (page === null) {
      attempts.push({ via: 'referrers API (the registry does not offer it)', found: 0, error: null });
      const index = await fetchTimed(`tag ${hexTag}`, (s) => source.manifestByTag(hexTag, limits.maxSignatureBytes, s));
      if (index === null) attempts.push({ via: `referrers tag ${hexTag}`, found: 0, error: null });
      else await take('referrers-tag', parseReferrers(index.bytes, `${where} tag ${hexTag}`).manifests, `referrers tag ${hexTag}`);
    } else {
      for (let n = 0; ; n++) {
        pages.push(...parseReferrers(page.bytes, `${where} referrers`).manifests);
        if (!page.next) break;
        if (pages.length > limits.maxReferrers || n >= limits.maxReferrers) throw new Error(`${where}: referrers API keeps paging past ${limits.maxReferrers} entries (supplyChain.limits.maxReferrers)`);
        const next: string = page.next;
        page = await fetchTimed('referrers', (s) => source.referrersPage(imageDigest, limits.maxSignatureBytes, s, next));
        if (page === null) throw new Error(`${where}: referrers API next page ${next} is gone`);
      }
      await take('referrers-api', pages, 'referrers API');
    }
  } catch (err) {
    attempts.push({ via: 'referrers', found: 0, error: message(err) });
  }

  // 2. cosign's legacy tags: signatures and attestations.
  for (const [suffix, kind] of [['.sig', 'cosign-sig'], ['.att', 'cosign-att']] as const) {
    const tag = `${hexTag}${suffix}`;
    try {
      const fetched = await fetchTimed(`tag ${tag}`, (s) => source.manifestByTag(tag, limits.maxSignatureBytes, s));
      if (fetched) {
        candidates.push({ via: 'cosign-tag', kind, digest: fetched.digest, manifest: parseArtifactManifest(fetched.bytes, `${where} tag ${tag}`) });
      }
      attempts.push({ via: `cosign tag ${tag}`, found: fetched ? 1 : 0, error: null });
    } catch (err) {
      attempts.push({ via: `cosign tag ${tag}`, found: 0, error: message(err) });
    }
  }
  return { candidates, attempts, complete: attempts.every((a) => a.error === null) };
}

export function kindOfArtifactType(type: string | undefined): ArtifactKind | null {
  if (!type) return null;
  if (ArtifactTypes.sigstoreBundle.test(type)) return 'sigstore-bundle';
  if (ArtifactTypes.notation.test(type)) return 'notation';
  return null;
}

function parseJson(bytes: Buffer, what: string): unknown {
  try {
    return JSON.parse(bytes.toString('utf8'));
  } catch {
    throw new Error(`${what}: not JSON`);
  }
}

export function parseArtifactManifest(bytes: Buffer, what: string): ArtifactManifest {
  const parsed = ArtifactManifest.safeParse(parseJson(bytes, what));
  if (!parsed.success) throw new Error(`${what}: not an OCI manifest: ${z.prettifyError(parsed.error)}`);
  return parsed.data;
}

function parseReferrers(bytes: Buffer, what: string): z.infer<typeof ReferrersIndex> {
  const parsed = ReferrersIndex.safeParse(parseJson(bytes, what));
  if (!parsed.success) throw new Error(`${what}: not an OCI index: ${z.prettifyError(parsed.error)}`);
  return parsed.data;
}

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** The layers of a `.sig` manifest that are simple-signing signatures (others are ignored, as cosign does). */
export function simpleSigningLayersOf(manifest: ArtifactManifest): ArtifactManifest['layers'] {
  return manifest.layers.filter((l) => l.mediaType === CosignLayerTypes.simpleSigning);
}

/** The layers of a `.att` manifest that are DSSE envelopes (one attestation each). */
export function dsseLayersOf(manifest: ArtifactManifest): ArtifactManifest['layers'] {
  return manifest.layers.filter((l) => l.mediaType === CosignLayerTypes.dsse);
}
