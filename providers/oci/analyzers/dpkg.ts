// Debian packages: /var/lib/dpkg/status, plus the per-package files under status.d/ that distroless images use.
import type { FilesystemAnalyzer } from './types.ts';

const statusFile = '/var/lib/dpkg/status';
const statusDir = '/var/lib/dpkg/status.d/';

export function parseDpkgStatus(text: string, requireInstalled: boolean): { name: string; version: string }[] {
  const packages: { name: string; version: string }[] = [];
  for (const paragraph of text.split(/\n\s*\n/)) {
    const field = (key: string): string | undefined => new RegExp(`^${key}:[ \\t]*(.*)$`, 'm').exec(paragraph)?.[1]?.trim();
    const name = field('Package');
    const version = field('Version');
    if (!name || !version) continue;
    // "deinstall ok config-files" and the like leave a record but no installed package.
    if (requireInstalled && !/\binstalled$/.test(field('Status') ?? '')) continue;
    packages.push({ name, version });
  }
  return packages;
}

export const dpkgAnalyzer: FilesystemAnalyzer = {
  name: 'dpkg',
  wantsContent: (path) => path === statusFile || (path.startsWith(statusDir) && !path.endsWith('.md5sums')),
  analyze(fs, out) {
    const status = fs.content(statusFile);
    if (status) for (const p of parseDpkgStatus(status.toString('utf8'), true)) out.packages.push({ ...p, manager: 'dpkg' });
    for (const [, content] of fs.contents((path) => path.startsWith(statusDir) && !path.endsWith('.md5sums'))) {
      for (const p of parseDpkgStatus(content.toString('utf8'), false)) out.packages.push({ ...p, manager: 'dpkg' });
    }
  },
};
