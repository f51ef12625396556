// posture.yaml `supplyChain`: which signatures an image must carry, per registry or repository pattern.
// Validated on load like every other section; key material is referenced (a file or an inline PEM), never a
// private key; keyless trust is a Sigstore trusted root file plus the identities allowed to sign.
import picomatch from 'picomatch';
import { z } from 'zod';
import { NotationVerifier } from './notation/config.ts';

const Name = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'letters, digits, ".", "_" and "-"');

/** KMS key reference schemes cosign knows; posture fetches public keys from AWS KMS only. */
const kmsSchemes = ['awskms', 'gcpkms', 'azurekms', 'hashivault'] as const;

/** `awskms://[endpoint]/<key id | alias/name | key or alias ARN>`, as cosign takes it. */
export const KmsKeyRef = z.string().superRefine((ref, ctx) => {
  const scheme = /^([a-z]+):\/\//.exec(ref)?.[1];
  if (scheme === 'awskms') {
    if (!/^awskms:\/\/[^/]*\/.+$/.test(ref)) ctx.addIssue({ code: 'custom', message: `${ref} is not awskms://[endpoint]/<key id, alias/name or ARN>` });
    return;
  }
  if (scheme && (kmsSchemes as readonly string[]).includes(scheme)) {
    ctx.addIssue({ code: 'custom', message: `${scheme}:// keys are not supported (posture reads awskms:// keys); give the public key instead (\`cosign public-key --key ${ref}\` prints it) as file or pem` });
    return;
  }
  ctx.addIssue({ code: 'custom', message: `${ref} is not a KMS key reference (${kmsSchemes.map((s) => `${s}://`).join(', ')})` });
});

/**
 * A cosign public key: what `cosign generate-key-pair` writes as cosign.pub or `cosign public-key` prints
 * (file or pem), or the KMS key cosign signs with (kms), whose public key is fetched once per run.
 */
export const CosignKey = z
  .object({
    name: Name,
    file: z.string().min(1).optional(),
    pem: z.string().includes('-----BEGIN PUBLIC KEY-----', { message: 'a PEM public key' }).optional(),
    kms: KmsKeyRef.optional(),
  })
  .strict()
  .refine((k) => [k.file, k.pem, k.kms].filter((v) => v !== undefined).length === 1, { message: 'exactly one of file, pem or kms' });
export type CosignKey = z.infer<typeof CosignKey>;

/** A pattern from posture.yaml, compiled once at load so a broken one is a configuration error. */
const Pattern = z.string().min(1).max(1024).refine((p) => {
  try {
    new RegExp(p, 'u');
    return true;
  } catch {
    return false;
  }
}, 'not a valid regular expression');

/**
 * One signer a keyless policy accepts: the certificate's identity (its subject alternative name: a workflow
 * URI, an email address) and the OIDC issuer Fulcio recorded, each exact or a regular expression, as cosign
 * verify's --certificate-identity[-regexp] / --certificate-oidc-issuer[-regexp]. Like cosign's, a regular
 * expression matches anywhere in the value unless anchored with ^…$.
 */
export const KeylessIdentity = z
  .object({
    identity: z.string().min(1).optional(),
    identityRegExp: Pattern.optional(),
    issuer: z.string().min(1).optional(),
    issuerRegExp: Pattern.optional(),
  })
  .strict()
  .refine((i) => (i.identity === undefined) !== (i.identityRegExp === undefined), { message: 'exactly one of identity or identityRegExp' })
  .refine((i) => (i.issuer === undefined) !== (i.issuerRegExp === undefined), { message: 'exactly one of issuer or issuerRegExp' });
export type KeylessIdentity = z.infer<typeof KeylessIdentity>;

/** Keyless (Sigstore certificate) signatures: which certificate authority and logs to trust, and whom. */
export const CosignKeyless = z
  .object({
    /**
     * A Sigstore trusted root (trusted_root.json: certificate authorities, transparency logs, CT logs, timestamp
     * authorities), as a private deployment publishes it or `cosign trusted-root create` writes it.
     */
    trustedRoot: z.string().min(1),
    /** An image passes IMG-007 when a signature's certificate names one of these identity/issuer pairs. */
    identities: z.array(KeylessIdentity).min(1),
    /** Require an entry in one of the root's transparency logs, its inclusion verified offline (default true). */
    requireTransparencyLog: z.boolean().default(true),
    /** Require an SCT from one of the root's certificate-transparency logs embedded in the certificate (default true; false for a CA without a CT log). */
    requireSct: z.boolean().default(true),
  })
  .strict();
export type CosignKeyless = z.infer<typeof CosignKeyless>;

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
        keys: z.array(CosignKey).min(1).optional(),
        /** … or when a keyless signature's certificate chains to this root and names an allowed identity. */
        keyless: CosignKeyless.optional(),
      })
      .strict()
      .refine((c) => c.keys !== undefined || c.keyless !== undefined, { message: 'give keys, keyless or both' })
      .optional(),
    /** Notary Project signatures (notation): an image passes IMG-007 when one verifies under this trust store and identities. */
    notation: NotationVerifier.optional(),
    /** Attestations the image must carry, signed by the same keys or keyless signers (cosign attest). */
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
      p.cosign?.keys?.forEach((k, j) => {
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
 * The files a supplyChain section reads (key files, trusted roots, trust-store certificates), as written in
 * posture.yaml. A deployment ships them in the worker's bundle at the same relative paths, since the Lambda runs in the bundle's directory.
 */
export function supplyChainFiles(config: SupplyChainConfig): string[] {
  const files = config.policies.flatMap((p) => [
    ...(p.cosign?.keys ?? []).flatMap((k) => (k.file ? [k.file] : [])),
    ...(p.cosign?.keyless ? [p.cosign.keyless.trustedRoot] : []),
    ...(p.notation?.trustStore ?? []).flatMap((c) => (c.file ? [c.file] : [])),
  ]);
  return [...new Set(files)];
}

/** The KMS key references (`awskms://…`) the signature policies name, whose public keys the worker fetches. */
export function supplyChainKmsRefs(config: SupplyChainConfig): string[] {
  return [...new Set(config.policies.flatMap((p) => (p.cosign?.keys ?? []).flatMap((k) => (k.kms ? [k.kms] : []))))];
}
