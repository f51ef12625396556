// posture.yaml `supplyChain.policies[].notation`: the Notary Project (notation) verifier of a signature policy,
// in the terms of notation's own trust store and trust policy: X.509 certificates that anchor the chains (a
// `ca` trust store: the root or intermediate CAs, or a self-signed signing certificate), and the trusted
// identities the signing certificate's subject must match (`x509.subject: <DN>`, or `*` for any).
import { z } from 'zod';
import { parseDistinguishedName } from './distinguished-name.ts';

const Name = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'letters, digits, ".", "_" and "-"');

export const TrustStoreCertificate = z
  .object({
    name: Name,
    /** A PEM file with one or more certificates (what `notation cert add --type ca` takes). */
    file: z.string().min(1).optional(),
    pem: z.string().includes('-----BEGIN CERTIFICATE-----', { message: 'a PEM certificate' }).optional(),
  })
  .strict()
  .refine((c) => (c.file === undefined) !== (c.pem === undefined), { message: 'exactly one of file or pem' });
export type TrustStoreCertificate = z.infer<typeof TrustStoreCertificate>;

export const identityPrefix = 'x509.subject:';

const TrustedIdentity = z.string().superRefine((identity, ctx) => {
  if (identity === '*') return;
  if (!identity.startsWith(identityPrefix)) {
    ctx.addIssue({ code: 'custom', message: `"${identity}": a trusted identity is "*" or "${identityPrefix} <DN>" (the only identity type notation verifies natively)` });
    return;
  }
  try {
    parseDistinguishedName(identity.slice(identityPrefix.length).trim(), { requireIdentityAttributes: true });
  } catch (err) {
    ctx.addIssue({ code: 'custom', message: (err as Error).message });
  }
});

export const NotationVerifier = z
  .object({
    /** An image passes IMG-007 when a notation signature's certificate chain contains one of these certificates… */
    trustStore: z.array(TrustStoreCertificate).min(1),
    /** …and its signing certificate's subject matches one of these identities. */
    trustedIdentities: z.array(TrustedIdentity).min(1),
  })
  .strict()
  .superRefine((n, ctx) => {
    const names = new Set<string>();
    n.trustStore.forEach((c, i) => {
      if (names.has(c.name)) ctx.addIssue({ code: 'custom', path: ['trustStore', i, 'name'], message: `certificate name "${c.name}" is used twice` });
      names.add(c.name);
    });
  });
export type NotationVerifier = z.infer<typeof NotationVerifier>;
