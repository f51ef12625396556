// Python distributions: the core metadata (RFC 822 headers: Name, Version) of installed wheels
// (`*.dist-info/METADATA`) and of eggs and setup.py installs (`*.egg-info/PKG-INFO`, or an `.egg-info` file).
import { purl } from './purl.ts';
import type { FoundPackage, PackageAnalyzer } from './types.ts';

const metadataFile = /\.dist-info\/METADATA$|\.egg-info\/PKG-INFO$|\.egg-info$/;

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

export const pythonAnalyzer: PackageAnalyzer = {
  name: 'python',
  manager: 'python',
  maxBytes: 4 * 1024 * 1024,
  matches: ({ path }) => metadataFile.test(path),
  analyze: ({ content }) => parseCoreMetadata(content.toString('utf8')),
  identify: (p) => ({ purl: purl('pypi', undefined, p.name, p.version), ecosystem: 'PyPI' }),
};
