// npm packages: each installed package's own package.json under node_modules (scoped or not), which is
// what the application really loads.
import { purl, splitLast } from './purl.ts';
import type { FoundPackage, PackageAnalyzer } from './types.ts';

// Where a package manager installs: below a project's first node_modules, a chain of package directories
// (`name` or `@scope/name`, or pnpm's store entry `.pnpm/<name@version>`) each followed by node_modules,
// ending in the package's own package.json. That is the tree npm's arborist loads (`npm ls`): a
// node_modules inside some other directory of a package (test/fixtures/node_modules, examples/…) was
// shipped as that package's files, not installed, and npm does not list it.
const packageDir = String.raw`(?:@[^/]+/)?[^/@.][^/]*`;
const installedTree = new RegExp(String.raw`^(?:(?:${packageDir}|\.pnpm/[^/]+)/node_modules/)*${packageDir}/package\.json$`);

export function isInstalledManifest(path: string): boolean {
  const i = path.indexOf('/node_modules/');
  return i >= 0 && installedTree.test(path.slice(i + '/node_modules/'.length));
}

export function parsePackageJson(text: string): FoundPackage[] {
  const json = JSON.parse(text) as unknown;
  if (!json || typeof json !== 'object') return [];
  const { name, version } = json as { name?: unknown; version?: unknown };
  return typeof name === 'string' && typeof version === 'string' && name && version ? [{ name, version }] : [];
}

/** Shared by the installed-package and lockfile analyzers: `@scope/name` becomes namespace `@scope`. */
export function npmIdentity(p: FoundPackage): { purl: string; ecosystem: string } {
  const { namespace, name } = p.name.startsWith('@') ? splitLast(p.name, '/') : { namespace: undefined, name: p.name };
  return { purl: purl('npm', namespace, name, p.version), ecosystem: 'npm' };
}

export const npmAnalyzer: PackageAnalyzer = {
  name: 'npm',
  manager: 'npm',
  maxBytes: 1024 * 1024,
  matches: ({ path }) => isInstalledManifest(path),
  analyze: ({ content }) => parsePackageJson(content.toString('utf8')),
  identify: npmIdentity,
};
