// Python distributions: the core metadata (RFC 822 headers: Name, Version) of installed wheels
// (`*.dist-info/METADATA`), of setup.py installs (`*.egg-info/PKG-INFO`, or an `.egg-info` file) and of eggs,
// unpacked (`*.egg/EGG-INFO/PKG-INFO`) or zipped (`*.egg`, a zip put on sys.path as is). These are the places
// importlib.metadata finds distributions. A wheel file (`*.whl`) is an archive waiting to be installed, not
// an installed distribution, so it is not read.
import { unzipSync } from 'fflate';
import { purl } from './purl.ts';
import type { FoundPackage, PackageAnalyzer } from './types.ts';

const metadataFile = /\.dist-info\/METADATA$|\.egg-info\/PKG-INFO$|\.egg-info$|\.egg\/EGG-INFO\/PKG-INFO$/;
const zippedEgg = /\.egg$/;
const maxMetadataBytes = 1024 * 1024;

export function parseCoreMetadata(text: string): FoundPackage[] {
  let name: string | undefined;
  let version: string | undefined;
  for (const line of text.split('\n')) {
    if (line.trim() === '') break; // the headers end at the first blank line; the description follows
    const m = /^(Name|Version):\s*(.*?)\s*$/i.exec(line);
    if (m?.[1]!.toLowerCase() === 'name') name ??= m[2];
    else if (m) version ??= m[2];
  }
  return name && version ? [{ name, version }] : [];
}

/** A zipped egg's EGG-INFO/PKG-INFO, inflated alone and only when its declared size is small. */
export function readZippedEgg(data: Uint8Array): FoundPackage[] {
  const files = unzipSync(data, { filter: (f) => f.name === 'EGG-INFO/PKG-INFO' && f.originalSize <= maxMetadataBytes });
  const pkgInfo = files['EGG-INFO/PKG-INFO'];
  return pkgInfo ? parseCoreMetadata(Buffer.from(pkgInfo).toString('utf8')) : [];
}

export const pythonAnalyzer: PackageAnalyzer = {
  name: 'python',
  manager: 'python',
  maxBytes: 64 * 1024 * 1024,
  matches: ({ path }) => metadataFile.test(path) || zippedEgg.test(path),
  analyze: ({ path, content }) => (zippedEgg.test(path) ? readZippedEgg(content) : parseCoreMetadata(content.toString('utf8', 0, Math.min(content.length, maxMetadataBytes)))),
  identify: (p) => ({ purl: purl('pypi', undefined, p.name, p.version), ecosystem: 'PyPI' }),
};
