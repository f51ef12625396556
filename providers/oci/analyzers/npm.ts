// npm packages: each installed package's own package.json under node_modules (scoped or not), which is
// what the application really loads.
import { purl, splitLast } from './purl.ts';
import type { FoundPackage, PackageAnalyzer } from './types.ts';

// node_modules/<name>/package.json or node_modules/@scope/<name>/package.json, not files deeper inside a package.
const installedManifest = /\/node_modules\/(?:@[^/]+\/)?[^/@.][^/]*\/package\.json$/;

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
  matches: ({ path }) => installedManifest.test(path),
  analyze: ({ content }) => parsePackageJson(content.toString('utf8')),
  identify: npmIdentity,
};
