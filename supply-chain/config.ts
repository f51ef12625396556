// posture.yaml `supplyChain`: which signatures an image must carry, per registry or repository pattern.
// Validated on load like every other section; key material is referenced (a file or an inline PEM), never a
// private key.
import picomatch from 'picomatch';
import { z } from 'zod';
import { NotationVerifier } from './notation/config.ts';

const Name = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'letters, digits, ".", "_" and "-"');

/** A cosign public key (what `cosign generate-key-pair` writes as cosign.pub, or `cosign public-key` prints). */
export const CosignKey = z
  .object({
    name: Name,
    file: z.string().min(1).optional(),
    pem: z.string().includes('-----BEGIN PUBLIC KEY-----', { message: 'a PEM public key' }).optional(),
  })
  .strict()
  .refine((k) => (k.file === undefined) !== (k.pem === undefined), { message: 'exactly one of file or pem' });
export type CosignKey = z.infer<typeof CosignKey>;

export const SignaturePolicy = z
  .object({
    name: Name,
    /**
     * Globs over `registry/repository` (e.g. `ghcr.io/acme/*`, `*.dkr.ecr.*.amazonaws.com/prod/**`); the first
     * policy listed that matches an image applies to it.
     */
    match: z.array(z.string().min(1)).min(1),
    cosign: z
      .object({
        /** An image passes IMG-007 when one of its signatures verifies under one of these keys. */
        keys: z.array(CosignKey).min(1),
      })
      .strict()
      .optional(),
    /** Notary Project signatures (notation): an image passes IMG-007 when one verifies under this trust store and identities. */
    notation: NotationVerifier.optional(),
    /** Attestations the image must carry, signed by the same keys (cosign attest). */
    attestations: z
      .object({
        /** IMG-016: an SLSA provenance naming one of these builders (globs over builder.id) and only these source repositories (globs). */
        provenance: z.object({ builders: z.array(z.string().min(1)).min(1), sourceRepositories: z.array(z.string().min(1)).min(1) }).strict().optional(),
        /** IMG-017: an SPDX or CycloneDX SBOM attestation. */
        sbom: z.boolean().optional(),
      })
      .strict()
      .optional(),
  })
  .strict();
export type SignaturePolicy = z.infer<typeof SignaturePolicy>;

export const SupplyChainLimits = z
  .object({
    /** Signature artifacts (referrers, fallback-tag entries and cosign tags together) considered per image. */
    maxReferrers: z.number().int().positive().default(64),
    /** Largest signature manifest, bundle, envelope or payload read (bytes). */
    maxSignatureBytes: z.number().int().positive().default(1024 * 1024),
    /** Wall-clock budget for one registry read while discovering signatures (ms). */
    manifestMs: z.number().int().positive().default(60_000),
  })
  .strict()
  .prefault({});
export type SupplyChainLimits = z.infer<typeof SupplyChainLimits>;

export const SupplyChainConfig = z
  .object({
    policies: z.array(SignaturePolicy).default([]),
    limits: SupplyChainLimits,
  })
  .strict()
  .prefault({})
  .superRefine((c, ctx) => {
    const names = new Set<string>();
    c.policies.forEach((p, i) => {
      if (names.has(p.name)) ctx.addIssue({ code: 'custom', path: ['policies', i, 'name'], message: `policy name "${p.name}" is used twice` });
      names.add(p.name);
      if (!p.cosign && !p.notation) ctx.addIssue({ code: 'custom', path: ['policies', i], message: `policy "${p.name}" names no verifier: give cosign, notation or both` });
      const keyNames = new Set<string>();
      p.cosign?.keys.forEach((k, j) => {
        if (keyNames.has(k.name)) ctx.addIssue({ code: 'custom', path: ['policies', i, 'cosign', 'keys', j, 'name'], message: `key name "${k.name}" is used twice` });
        keyNames.add(k.name);
      });
    });
  });
export type SupplyChainConfig = z.infer<typeof SupplyChainConfig>;

const matcher = (glob: string) => picomatch(glob, { dot: true, nobrace: true, noextglob: true });

/** The first policy whose patterns match `registry/repository`, or null when none covers the image. */
export function policyFor(config: SupplyChainConfig, registry: string, repository: string): SignaturePolicy | null {
  const name = `${registry}/${repository}`;
  return config.policies.find((p) => p.match.some((g) => matcher(g)(name))) ?? null;
}

/**
 * The files a supplyChain section reads (key files), as written in posture.yaml. A deployment ships them in
 * the worker's bundle at the same relative paths, since the Lambda runs in the bundle's directory.
 */
export function supplyChainFiles(config: SupplyChainConfig): string[] {
  const files = config.policies.flatMap((p) => [...(p.cosign?.keys ?? []).flatMap((k) => (k.file ? [k.file] : [])), ...(p.notation?.trustStore ?? []).flatMap((c) => (c.file ? [c.file] : []))]);
  return [...new Set(files)];
}
