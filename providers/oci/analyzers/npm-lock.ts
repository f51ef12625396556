// package-lock.json (lockfileVersion 1, 2 and 3): what an application declares. Its entries count only
// where no installed copy (node_modules/**/package.json) of the same name and version was found; dev
// dependencies are left out, as production images do not install them.
import { npmIdentity } from './npm.ts';
import type { FoundPackage, PackageAnalyzer } from './types.ts';

const maxEntries = 50_000;
const maxDepth = 64;

interface V1Dependency {
  version?: unknown;
  dev?: unknown;
  dependencies?: Record<string, V1Dependency>;
}

export function parsePackageLock(text: string): FoundPackage[] {
  const lock = JSON.parse(text) as { packages?: Record<string, { version?: unknown; dev?: unknown; link?: unknown; name?: unknown }>; dependencies?: Record<string, V1Dependency> };
  const out: FoundPackage[] = [];
  const add = (name: string, version: unknown, dev: unknown): void => {
    if (out.length >= maxEntries) throw new Error(`more than ${maxEntries} entries`);
    if (typeof version === 'string' && version && dev !== true && !/^(file|link|git\+?|https?):/.test(version)) out.push({ name, version, declaredOnly: true });
  };
  if (lock.packages && typeof lock.packages === 'object') {
    for (const [key, entry] of Object.entries(lock.packages)) {
      const i = key.lastIndexOf('node_modules/');
      if (i < 0 || !entry || entry.link === true) continue; // the root project, or a workspace link
      add(typeof entry.name === 'string' ? entry.name : key.slice(i + 'node_modules/'.length), entry.version, entry.dev);
    }
    return out;
  }
  const walk = (deps: Record<string, V1Dependency> | undefined, depth: number): void => {
    if (!deps || typeof deps !== 'object' || depth > maxDepth) return;
    for (const [name, d] of Object.entries(deps)) {
      if (!d || typeof d !== 'object') continue;
      add(name, d.version, d.dev);
      walk(d.dependencies, depth + 1);
    }
  };
  walk(lock.dependencies, 0);
  return out;
}

export const npmLockAnalyzer: PackageAnalyzer = {
  name: 'npm-lockfile',
  manager: 'npm',
  maxBytes: 32 * 1024 * 1024,
  // node_modules/.package-lock.json is npm's cache of what is installed, already read from the packages.
  matches: ({ path }) => path.endsWith('/package-lock.json') && !path.includes('/node_modules/'),
  analyze: ({ content }) => parsePackageLock(content.toString('utf8')),
  identify: npmIdentity,
};
