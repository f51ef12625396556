// Ruby gems: the installed specifications (`specifications/<name>-<version>.gemspec`), which RubyGems
// writes as Ruby source with `s.name = "..."` and `s.version = "..."` lines. Read as text, never evaluated.
import { purl } from './purl.ts';
import type { FoundPackage, PackageAnalyzer } from './types.ts';

const specFile = /\/specifications\/[^/]+\.gemspec$/;

export function parseGemspec(text: string): FoundPackage[] {
  const name = /^\s*\w+\.name\s*=\s*["']([^"']+)["']/m.exec(text)?.[1];
  const version = /^\s*\w+\.version\s*=\s*(?:Gem::Version\.new\(\s*)?["']([^"']+)["']/m.exec(text)?.[1];
  return name && version ? [{ name, version }] : [];
}

export const gemAnalyzer: PackageAnalyzer = {
  name: 'gem',
  manager: 'gem',
  maxBytes: 1024 * 1024,
  matches: ({ path }) => specFile.test(path),
  analyze: ({ content }) => parseGemspec(content.toString('utf8')),
  identify: (p) => ({ purl: purl('gem', undefined, p.name, p.version), ecosystem: 'RubyGems' }),
};
