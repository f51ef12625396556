// X.509 subject DNs as the Notary Project trust policy compares them: RFC 4514 strings read into attribute
// type → value, single-valued RDNs only, each type once, `S` an alias of `ST`, and C, ST and O required in a
// trusted identity. An identity matches a certificate when every attribute it names has the same value in the
// certificate's subject (a subset match), as notation's `x509.subject:` identities do.
import { Name } from '@peculiar/x509';

export type DistinguishedName = ReadonlyMap<string, string>;

const required = ['C', 'ST', 'O'] as const;

/** Attribute type → value; throws naming the DN when it is not one notation accepts. */
export function parseDistinguishedName(dn: string, options: { requireIdentityAttributes: boolean }): DistinguishedName {
  if (dn.includes('=#')) throw new Error(`distinguished name "${dn}": hex-encoded (=#) values are not supported`);
  let rdns: Record<string, string[]>[];
  try {
    // @peculiar/x509 knows ST but not its short alias S.
    rdns = new Name(dn.replace(/(^|,)(\s*)S(\s*)=/g, '$1$2ST$3=')).toJSON();
  } catch (err) {
    throw new Error(`distinguished name "${dn}" is not RFC 4514: ${(err as Error).message}`);
  }
  return fromRdns(rdns, dn, options.requireIdentityAttributes);
}

/** A certificate's subject (as @peculiar/x509 reads it) in the same form. */
export function subjectOf(rdns: Record<string, string[]>[], shown: string): DistinguishedName {
  return fromRdns(rdns, shown, false);
}

function fromRdns(rdns: Record<string, string[]>[], dn: string, requireIdentityAttributes: boolean): DistinguishedName {
  const out = new Map<string, string>();
  for (const rdn of rdns) {
    const entries = Object.entries(rdn).flatMap(([type, values]) => values.map((v) => [type, v] as const));
    if (entries.length !== 1) throw new Error(`distinguished name "${dn}" has a multi-valued RDN, which is not supported`);
    const [type, value] = entries[0]!;
    if (out.has(type)) throw new Error(`distinguished name "${dn}" names ${type} twice`);
    out.set(type, value);
  }
  if (requireIdentityAttributes) {
    const missing = required.filter((t) => !out.get(t));
    if (missing.length) throw new Error(`distinguished name "${dn}" lacks ${missing.join(', ')} (a trusted identity names C, ST and O at least)`);
  }
  return out;
}

/** Every attribute of `identity` has the same value in `subject`. */
export function isSubsetOf(identity: DistinguishedName, subject: DistinguishedName): boolean {
  return [...identity].every(([type, value]) => subject.get(type) === value);
}
