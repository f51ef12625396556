// The checks the Notary Project signature specification puts on a signature's certificate chain (x5c, leaf
// first, ending with a self-signed root) before it is trusted: each certificate issued by the next, the root
// self-signed, the leaf fit to sign code (key usage digitalSignature only, marked critical; not a CA; no
// server/client/email/timestamping/OCSP extended key usage), the CAs fit to issue (basic constraints CA with
// a path length that allows the chain below, key usage keyCertSign, marked critical), and every certificate
// valid at the signing time. Then authenticity (the chain contains a trust-store certificate, byte for byte)
// and identity (the leaf's subject matches a trusted identity) are separate steps the caller takes.
import type { X509Certificate } from 'node:crypto';
import { BasicConstraintsExtension, ExtendedKeyUsage, ExtendedKeyUsageExtension, KeyUsageFlags, KeyUsagesExtension, X509Certificate as Parsed } from '@peculiar/x509';

export interface ChainCertificate {
  cert: X509Certificate;
  parsed: Parsed;
}

export function parseChainCertificate(cert: X509Certificate): ChainCertificate {
  return { cert, parsed: new Parsed(cert.raw) };
}

const keyUsageOid = '2.5.29.15';
const basicConstraintsOid = '2.5.29.19';
const excludedLeafUsages: Record<string, string> = {
  [ExtendedKeyUsage.serverAuth]: 'serverAuth',
  [ExtendedKeyUsage.clientAuth]: 'clientAuth',
  [ExtendedKeyUsage.emailProtection]: 'emailProtection',
  [ExtendedKeyUsage.timeStamping]: 'timeStamping',
  [ExtendedKeyUsage.ocspSigning]: 'OCSPSigning',
};
const leafForbiddenUsages: [KeyUsageFlags, string][] = [
  [KeyUsageFlags.keyEncipherment, 'keyEncipherment'],
  [KeyUsageFlags.dataEncipherment, 'dataEncipherment'],
  [KeyUsageFlags.keyAgreement, 'keyAgreement'],
  [KeyUsageFlags.keyCertSign, 'keyCertSign'],
  [KeyUsageFlags.cRLSign, 'cRLSign'],
  [KeyUsageFlags.encipherOnly, 'encipherOnly'],
  [KeyUsageFlags.decipherOnly, 'decipherOnly'],
];

/** Null when the chain is sound at `signingTime`; else why not, naming the certificate. */
export function chainProblem(chain: readonly ChainCertificate[], signingTime: Date): string | null {
  if (chain.length === 0) return 'the signature carries no certificate chain';
  const last = chain.length - 1;
  for (const [i, { cert, parsed }] of chain.entries()) {
    const who = `certificate "${cert.subject.replace(/\n/g, ', ')}"`;
    if (signingTime < new Date(cert.validFrom) || signingTime > new Date(cert.validTo)) {
      return `${who} was not valid at the signing time ${signingTime.toISOString()} (valid ${new Date(cert.validFrom).toISOString()} to ${new Date(cert.validTo).toISOString()})`;
    }
    const selfSigned = issuedBy(cert, cert);
    if (i === last) {
      if (!selfSigned) return `${who} ends the chain but is not a self-signed root`;
    } else {
      if (selfSigned) return `${who} is self-signed but is not the last certificate of the chain`;
      const parent = chain[i + 1]!.cert;
      if (!issuedBy(cert, parent)) return `${who} is not issued by the next certificate of the chain ("${parent.subject.replace(/\n/g, ', ')}")`;
    }
    const usage = parsed.getExtension(KeyUsagesExtension);
    if (!usage) return `${who} has no key usage extension`;
    if (!parsed.extensions.find((e) => e.type === keyUsageOid)?.critical) return `${who}: its key usage extension is not marked critical`;
    const constraints = parsed.getExtension(BasicConstraintsExtension);
    if (i === 0) {
      if (constraints?.ca) return `${who} signs the artifact but is a CA certificate`;
      if (!(usage.usages & KeyUsageFlags.digitalSignature)) return `${who} signs the artifact but its key usage lacks digitalSignature`;
      const forbidden = leafForbiddenUsages.filter(([flag]) => usage.usages & flag).map(([, name]) => name);
      if (forbidden.length) return `${who} signs the artifact but its key usage also allows ${forbidden.join(', ')}`;
      const eku = parsed.getExtension(ExtendedKeyUsageExtension);
      const excluded = (eku?.usages ?? []).map((u) => excludedLeafUsages[String(u)]).filter((n): n is string => n !== undefined);
      if (excluded.length) return `${who} signs the artifact but its extended key usage includes ${excluded.join(', ')}`;
    } else if (chain.length > 1) {
      if (!constraints?.ca || !parsed.extensions.find((e) => e.type === basicConstraintsOid)?.critical) return `${who} issues a certificate of the chain but is not a CA (basic constraints CA, critical)`;
      if (constraints.pathLength !== undefined && constraints.pathLength < i - 1) return `${who} allows a path length of ${constraints.pathLength}, fewer than the ${i - 1} CA certificate(s) below it`;
      if (!(usage.usages & KeyUsageFlags.keyCertSign)) return `${who} issues a certificate of the chain but its key usage lacks keyCertSign`;
    }
  }
  return null;
}

/**
 * The issuer's name is the child's issuer and its key verifies the child's signature. (Not X509Certificate's
 * checkIssued, which also wants keyCertSign on the issuer: a self-signed signing certificate lacks it.)
 */
function issuedBy(child: X509Certificate, issuer: X509Certificate): boolean {
  try {
    return child.issuer === issuer.subject && child.verify(issuer.publicKey);
  } catch {
    return false;
  }
}

/** Null when every certificate is valid at `now`; else which one is not. */
export function validityProblem(chain: readonly ChainCertificate[], now: Date): string | null {
  for (const { cert } of chain) {
    const from = new Date(cert.validFrom);
    const to = new Date(cert.validTo);
    if (now < from || now > to) return `certificate "${cert.subject.replace(/\n/g, ', ')}" is not valid now (valid ${from.toISOString()} to ${to.toISOString()})`;
  }
  return null;
}
