// Shells and package managers left in the image: each lets an intruder do more (run scripts, install tools).
import type { FilesystemAnalyzer } from './types.ts';

const binDirs = new Set(['/bin', '/sbin', '/usr/bin', '/usr/sbin', '/usr/local/bin', '/usr/local/sbin']);
const shells = new Set(['sh', 'bash', 'dash', 'ash', 'zsh', 'ksh', 'mksh', 'csh', 'tcsh', 'fish', 'busybox']);
const packageManagers = new Set(['apt', 'apt-get', 'dpkg', 'apk', 'yum', 'dnf', 'microdnf', 'rpm', 'zypper', 'pacman', 'pip', 'pip3', 'npm', 'gem']);

export const toolsAnalyzer: FilesystemAnalyzer = {
  name: 'shells-and-package-managers',
  analyze(fs, out) {
    for (const [path, meta] of fs.entries()) {
      if (meta.type === 'dir' || meta.type === 'other') continue;
      const slash = path.lastIndexOf('/');
      if (!binDirs.has(path.slice(0, slash))) continue;
      const name = path.slice(slash + 1);
      if (shells.has(name)) out.shells.push(path);
      if (packageManagers.has(name)) out.packageManagers.push(path);
    }
    out.shells.sort();
    out.packageManagers.sort();
  },
};
