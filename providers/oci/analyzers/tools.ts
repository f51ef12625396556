// Shells and package managers left in the image: each lets an intruder do more (run scripts, install tools).
import type { FilesystemAnalyzer } from './types.ts';

const binDirs = ['/bin', '/sbin', '/usr/bin', '/usr/sbin', '/usr/local/bin', '/usr/local/sbin'];
const shells = new Set(['sh', 'bash', 'dash', 'ash', 'zsh', 'ksh', 'mksh', 'csh', 'tcsh', 'fish', 'busybox']);
const packageManagers = new Set(['apt', 'apt-get', 'dpkg', 'apk', 'yum', 'dnf', 'microdnf', 'rpm', 'zypper', 'pacman', 'pip', 'pip3', 'npm', 'gem']);

export const toolsAnalyzer: FilesystemAnalyzer = {
  name: 'shells-and-package-managers',
  analyze(fs, out) {
    for (const dir of binDirs) {
      for (const [name, meta] of fs.list(dir)) {
        if (meta.type === 'dir' || meta.type === 'other') continue;
        if (shells.has(name)) out.shells.push(`${dir}/${name}`);
        if (packageManagers.has(name)) out.packageManagers.push(`${dir}/${name}`);
      }
    }
    out.shells.sort();
    out.packageManagers.sort();
  },
};
