// Python distributions: the core metadata (RFC 822 headers: Name, Version) of installed wheels
// (`*.dist-info/METADATA`), of setup.py installs (`*.egg-info/PKG-INFO`, or an `.egg-info` file) and of eggs,
// unpacked (`*.egg/EGG-INFO/PKG-INFO`) or zipped (`*.egg`, a zip put on sys.path as is). These are the places
// importlib.metadata finds distributions. A wheel file (`*.whl`) is an archive waiting to be installed, not
// an installed distribution, so it is not read.
import type yauzl from 'yauzl';
import type { ByteSource } from './byte-source.ts';
import { purl } from './purl.ts';
import { nameOf, openZip, readEntry } from './zip-source.ts';
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
export async function readZippedEgg(src: ByteSource): Promise<FoundPackage[]> {
  const zip = await openZip(src);
  try {
    let pkgInfo: yauzl.Entry | undefined;
    // The last entry of a name wins, as when the archive is unpacked.
    for await (const entry of zip.eachEntry()) if (nameOf(entry) === 'EGG-INFO/PKG-INFO') pkgInfo = entry;
    if (!pkgInfo || pkgInfo.uncompressedSize > maxMetadataBytes) return [];
    return parseCoreMetadata((await readEntry(zip, pkgInfo, maxMetadataBytes, 'EGG-INFO/PKG-INFO')).toString('utf8'));
  } finally {
    zip.close();
  }
}

export const pythonAnalyzer: PackageAnalyzer = {
  name: 'python',
  manager: 'python',
  maxBytes: Number.MAX_SAFE_INTEGER,
  matches: ({ path }) => metadataFile.test(path) || zippedEgg.test(path),
  // Only the headers matter, and they come first: the rest of a metadata file (the description) is not read.
  read: ({ path, source }) => (zippedEgg.test(path) ? readZippedEgg(source) : parseCoreMetadata(source.read(0, maxMetadataBytes).toString('utf8'))),
  identify: (p) => ({ purl: purl('pypi', undefined, p.name, p.version), ecosystem: 'PyPI' }),
};
