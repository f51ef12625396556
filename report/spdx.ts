// SPDX 2.3 JSON SBOM of the scanned images, built to the SPDX 2.3 specification (no maintained npm
// library writes 2.3 JSON): the document DESCRIBES each image (a CONTAINER package), each image CONTAINS
// its packages, every package carries its purl as a PACKAGE-MANAGER external reference, and where it was
// found (layer, path) in its comment. Field meanings: docs/inventory.md.
import { randomUUID } from 'node:crypto';
import type { ImagePackage } from '../core/asset.ts';
import type { ScanResult } from '../core/scan.ts';
import { isOsPackage, sbomImages, toolName, toolVersion } from './sbom-subjects.ts';

interface SpdxPackage {
  SPDXID: string;
  name: string;
  versionInfo: string;
  downloadLocation: 'NOASSERTION';
  filesAnalyzed: false;
  primaryPackagePurpose: 'CONTAINER' | 'OPERATING-SYSTEM' | 'LIBRARY' | 'APPLICATION';
  externalRefs: { referenceCategory: 'PACKAGE-MANAGER'; referenceType: 'purl'; referenceLocator: string }[];
  sourceInfo?: string;
  comment?: string;
}

interface SpdxRelationship {
  spdxElementId: string;
  relationshipType: 'DESCRIBES' | 'CONTAINS';
  relatedSpdxElement: string;
}

/** SPDX 2.3 timestamps are UTC without fractional seconds. */
const spdxTime = (iso: string): string => new Date(iso).toISOString().replace(/\.\d{3}Z$/, 'Z');

function packageEntry(p: ImagePackage, id: string): SpdxPackage {
  const where = [p.layer !== null ? `layer ${p.layer}${p.layerDigest ? ` (${p.layerDigest})` : ''}` : null, `path ${p.path}`, p.ecosystem ? `OSV ecosystem ${p.ecosystem}` : null].filter(Boolean).join('; ');
  return {
    SPDXID: id,
    name: p.name,
    versionInfo: p.version,
    downloadLocation: 'NOASSERTION',
    filesAnalyzed: false,
    primaryPackagePurpose: 'LIBRARY',
    externalRefs: [{ referenceCategory: 'PACKAGE-MANAGER', referenceType: 'purl', referenceLocator: p.purl }],
    ...(p.source && isOsPackage(p) ? { sourceInfo: `built from source package ${p.source.name} ${p.source.version}` } : {}),
    comment: `found by ${p.manager} in ${where}`,
  };
}

export function buildSpdx(result: ScanResult): Record<string, unknown> {
  const images = sbomImages(result);
  const packages: SpdxPackage[] = [];
  const relationships: SpdxRelationship[] = [];
  images.forEach((image, i) => {
    const imageId = `SPDXRef-Image-${i}`;
    packages.push({
      SPDXID: imageId,
      name: image.name,
      versionInfo: image.asset.image.digest,
      downloadLocation: 'NOASSERTION',
      filesAnalyzed: false,
      primaryPackagePurpose: 'CONTAINER',
      externalRefs: [{ referenceCategory: 'PACKAGE-MANAGER', referenceType: 'purl', referenceLocator: image.purl }],
      comment: `posture asset ${image.asset.id}`,
    });
    relationships.push({ spdxElementId: 'SPDXRef-DOCUMENT', relationshipType: 'DESCRIBES', relatedSpdxElement: imageId });
    image.packages.forEach((p, j) => {
      const id = `SPDXRef-Image-${i}-Package-${j}`;
      packages.push(packageEntry(p, id));
      relationships.push({ spdxElementId: imageId, relationshipType: 'CONTAINS', relatedSpdxElement: id });
    });
  });
  const name = images.length === 1 ? images[0]!.name : `posture scan ${result.scanId}`;
  return {
    spdxVersion: 'SPDX-2.3',
    dataLicense: 'CC0-1.0',
    SPDXID: 'SPDXRef-DOCUMENT',
    name,
    documentNamespace: `https://spdx.org/spdxdocs/${toolName}-${encodeURIComponent(name)}-${randomUUID()}`,
    creationInfo: { created: spdxTime(result.finishedAt), creators: [`Tool: ${toolName}-${toolVersion()}`] },
    packages,
    relationships,
  };
}

export function renderSpdx(result: ScanResult): string {
  return JSON.stringify(buildSpdx(result), null, 2);
}
