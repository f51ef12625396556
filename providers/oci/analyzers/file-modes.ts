// Permission bits worth a finding: setuid/setgid executables and world-writable files or directories.
// Directories with the sticky bit (like /tmp, mode 1777) are the normal way to share and are left out.
import type { FilesystemAnalyzer } from './types.ts';

export const setuidAnalyzer: FilesystemAnalyzer = {
  name: 'setuid',
  analyze(fs, out) {
    for (const [path, meta] of fs.entries()) {
      if ((meta.type === 'file' || meta.type === 'hardlink') && meta.mode & 0o6000) out.setuidFiles.push({ path, mode: meta.mode });
    }
  },
};

export const worldWritableAnalyzer: FilesystemAnalyzer = {
  name: 'world-writable',
  analyze(fs, out) {
    for (const [path, meta] of fs.entries()) {
      if (meta.type === 'symlink' || meta.type === 'other') continue;
      if (!(meta.mode & 0o002)) continue;
      if (meta.type === 'dir' && meta.mode & 0o1000) continue;
      out.worldWritable.push({ path, mode: meta.mode });
    }
  },
};
