// CycloneDX 1.6 JSON SBOM of the scanned images, built and serialized by @cyclonedx/cyclonedx-library.
// One image: it is the BOM's subject (metadata.component) and its packages are the components. Several:
// each image is a container component with its packages nested. Layer, path, OSV ecosystem and source
// package ride along as `posture:*` properties, so base-image and application packages can be told apart.
import { randomUUID } from 'node:crypto';
import { Enums, Models, Serialize, Spec } from '@cyclonedx/cyclonedx-library';
import type { ImagePackage } from '../core/asset.ts';
import type { ScanResult } from '../core/scan.ts';
import { sbomImages, toolName, toolVersion, type SbomImage } from './sbom-subjects.ts';

function packageComponent(p: ImagePackage, ref: string): Models.Component {
  const properties = [
    new Models.Property('posture:package:manager', p.manager),
    new Models.Property('posture:package:path', p.path),
    ...(p.ecosystem ? [new Models.Property('posture:package:ecosystem', p.ecosystem)] : []),
    ...(p.layer !== null ? [new Models.Property('posture:layer:index', String(p.layer))] : []),
    ...(p.layerDigest ? [new Models.Property('posture:layer:digest', p.layerDigest)] : []),
    ...(p.source ? [new Models.Property('posture:package:source', `${p.source.name}@${p.source.version}`)] : []),
    ...(p.arch ? [new Models.Property('posture:package:arch', p.arch)] : []),
  ];
  return new Models.Component(Enums.ComponentType.Library, p.name, {
    bomRef: ref,
    version: p.version,
    purl: p.purl,
    properties: new Models.PropertyRepository(properties),
  });
}

function imageComponent(image: SbomImage, ref: string): Models.Component {
  const { asset } = image;
  return new Models.Component(Enums.ComponentType.Container, image.name, {
    bomRef: ref,
    version: asset.image.digest,
    purl: image.purl,
    properties: new Models.PropertyRepository([
      new Models.Property('posture:image:id', asset.id),
      ...(asset.image.contents?.os ? [new Models.Property('posture:os', `${asset.image.contents.os.id} ${asset.image.contents.os.versionId ?? ''}`.trim())] : []),
      ...(asset.image.platform.os ? [new Models.Property('posture:platform', [asset.image.platform.os, asset.image.platform.architecture, asset.image.platform.variant].filter(Boolean).join('/'))] : []),
    ]),
  });
}

export function buildCycloneDx(result: ScanResult): Models.Bom {
  const images = sbomImages(result);
  const bom = new Models.Bom({ serialNumber: `urn:uuid:${randomUUID()}` });
  bom.metadata.timestamp = new Date(result.finishedAt);
  bom.metadata.tools.components.add(new Models.Component(Enums.ComponentType.Application, toolName, { version: toolVersion() }));
  images.forEach((image, i) => {
    const container = imageComponent(image, `image-${i}`);
    const children = image.packages.map((p, j) => packageComponent(p, `image-${i}-package-${j}`));
    for (const c of children) container.dependencies.add(c.bomRef);
    if (images.length === 1) {
      bom.metadata.component = container;
      for (const c of children) bom.components.add(c);
    } else {
      for (const c of children) container.components.add(c);
      bom.components.add(container);
    }
  });
  return bom;
}

export function renderCycloneDx(result: ScanResult): string {
  const serializer = new Serialize.JsonSerializer(new Serialize.JSON.Normalize.Factory(Spec.Spec1dot6));
  return serializer.serialize(buildCycloneDx(result), { sortLists: false, space: 2 });
}
