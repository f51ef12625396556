// VEX: statements by a producer that a vulnerability does not affect a product. OpenVEX (v0.2.0 and the
// v0.0.x string forms) and CycloneDX VEX (1.4-1.6 `vulnerabilities[].analysis`) are read; a statement
// suppresses a matched vulnerability when its id is the vulnerability's id or one of its aliases and its
// product is the image (by digest: `pkg:oci/...@sha256:…` or the bare digest) or the vulnerable package
// (by purl, qualifiers ignored). OpenVEX subcomponents narrow an image statement to those packages.
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import type { ImageAsset, ImageVulnerability } from '../core/asset.ts';

export interface VexStatement {
  vulnerability: string;
  /** Image digests (sha256:…) and package purls the statement is about. */
  products: string[];
  /** Packages (purls) within the products; empty means the whole product. */
  subcomponents: string[];
  status: string;
  justification: string | null;
  document: string;
}

const suppressing = new Set(['not_affected', 'fixed', 'false_positive', 'resolved', 'resolved_with_pedigree']);

const Id = z.union([z.string(), z.object({ '@id': z.string().optional(), name: z.string().optional() }).loose()]);
const idOf = (v: z.infer<typeof Id>): string | null => (typeof v === 'string' ? v : (v['@id'] ?? v.name ?? null));

const OpenVex = z
  .object({
    '@context': z.string().regex(/openvex/),
    statements: z
      .array(
        z
          .object({
            vulnerability: z.union([z.string(), z.object({ name: z.string().optional(), '@id': z.string().optional(), aliases: z.array(z.string()).optional() }).loose()]),
            products: z.array(z.union([z.string(), z.object({ '@id': z.string().optional(), subcomponents: z.array(Id).optional(), identifiers: z.record(z.string(), z.string()).optional() }).loose()])).default([]),
            subcomponents: z.array(Id).optional(),
            status: z.string(),
            justification: z.string().optional(),
          })
          .loose(),
      )
      .max(100_000),
  })
  .loose();

const CycloneDx = z
  .object({
    bomFormat: z.literal('CycloneDX'),
    metadata: z.object({ component: z.object({ 'bom-ref': z.string().optional(), purl: z.string().optional() }).loose().optional() }).loose().optional(),
    components: z.array(z.object({ 'bom-ref': z.string().optional(), purl: z.string().optional() }).loose()).optional(),
    vulnerabilities: z
      .array(
        z
          .object({
            id: z.string(),
            analysis: z.object({ state: z.string().optional(), justification: z.string().optional() }).loose().optional(),
            affects: z.array(z.object({ ref: z.string() }).loose()).default([]),
          })
          .loose(),
      )
      .max(100_000),
  })
  .loose();

export class VexError extends Error {
  override name = 'VexError';
}

export function parseVex(doc: unknown, origin: string): VexStatement[] {
  const open = OpenVex.safeParse(doc);
  if (open.success) {
    return open.data.statements.flatMap((s) => {
      const vuln = typeof s.vulnerability === 'string' ? [s.vulnerability] : [s.vulnerability.name, s.vulnerability['@id'], ...(s.vulnerability.aliases ?? [])].filter((x): x is string => !!x);
      const products: string[] = [];
      const subs = (s.subcomponents ?? []).map(idOf).filter((x): x is string => !!x);
      for (const p of s.products) {
        if (typeof p === 'string') products.push(p);
        else {
          if (p['@id']) products.push(p['@id']);
          for (const v of Object.values(p.identifiers ?? {})) products.push(v);
          subs.push(...(p.subcomponents ?? []).map(idOf).filter((x): x is string => !!x));
        }
      }
      return vuln.map((v) => ({ vulnerability: v, products, subcomponents: subs, status: s.status, justification: s.justification ?? null, document: origin }));
    });
  }
  const cdx = CycloneDx.safeParse(doc);
  if (cdx.success) {
    // `affects[].ref` names a bom-ref; resolve it to the component's purl when the document lists one.
    const refs = new Map<string, string>();
    for (const c of [...(cdx.data.components ?? []), ...(cdx.data.metadata?.component ? [cdx.data.metadata.component] : [])]) if (c['bom-ref'] && c.purl) refs.set(c['bom-ref'], c.purl);
    return cdx.data.vulnerabilities.map((v) => ({
      vulnerability: v.id,
      products: v.affects.map((a) => refs.get(a.ref) ?? a.ref),
      subcomponents: [],
      status: v.analysis?.state ?? 'in_triage',
      justification: v.analysis?.justification ?? null,
      document: origin,
    }));
  }
  throw new VexError(`${origin} is neither an OpenVEX document (@context openvex, statements[]) nor a CycloneDX VEX (bomFormat CycloneDX, vulnerabilities[])`);
}

export function loadVex(files: readonly string[]): VexStatement[] {
  return files.flatMap((file) => {
    let doc: unknown;
    try {
      doc = JSON.parse(readFileSync(file, 'utf8'));
    } catch (err) {
      throw new VexError(`VEX document ${file} cannot be read: ${(err as Error).message}`);
    }
    return parseVex(doc, file);
  });
}

/** A purl without qualifiers and subpath, percent-decoded: `pkg:deb/debian/openssl@3.0.11-1~deb12u1`. */
export function purlKey(purl: string): string {
  return decodeURIComponent(purl.split('#')[0]!.split('?')[0]!).toLowerCase();
}

const digestIn = (product: string): string | null => /(sha256:[0-9a-f]{64})/.exec(decodeURIComponent(product))?.[1] ?? null;

function productCovers(product: string, image: ImageAsset, vuln: ImageVulnerability): 'image' | 'package' | null {
  const digest = digestIn(product);
  if (digest && (digest === image.image.digest || image.image.reference.digest === digest)) return 'image';
  if (product.startsWith('pkg:') && vuln.package.purl && purlKey(product) === purlKey(vuln.package.purl)) return 'package';
  return null;
}

/** The statement that suppresses this vulnerability in this image, or null. */
export function vexFor(statements: readonly VexStatement[], image: ImageAsset, vuln: ImageVulnerability): VexStatement | null {
  const ids = new Set([vuln.id, ...vuln.aliases]);
  for (const s of statements) {
    if (!suppressing.has(s.status) || !ids.has(s.vulnerability)) continue;
    for (const p of s.products) {
      const covers = productCovers(p, image, vuln);
      if (covers === 'package') return s;
      if (covers === 'image') {
        if (s.subcomponents.length === 0) return s;
        if (vuln.package.purl && s.subcomponents.some((sc) => purlKey(sc) === purlKey(vuln.package.purl!))) return s;
      }
    }
  }
  return null;
}

/** Marks the image's vulnerabilities that a VEX statement covers. */
export function applyVex(image: ImageAsset, statements: readonly VexStatement[]): ImageAsset {
  if (!statements.length || !image.image.vulnerabilities) return image;
  const vulnerabilities = image.image.vulnerabilities.map((v) => {
    const s = vexFor(statements, image, v);
    return s ? { ...v, suppressed: { by: `vex:${s.document}`, reason: `${s.status}${s.justification ? ` (${s.justification})` : ''}` } } : v;
  });
  return { ...image, image: { ...image.image, vulnerabilities } };
}
