// Permission bits worth a finding: setuid/setgid executables and world-writable files or directories.
// Directories with the sticky bit (like /tmp, mode 1777) are the normal way to share and are left out.
import type { EntryMeta } from '../analysis/fs-tree.ts';
import type { FilesystemAnalyzer } from './types.ts';

const isSetuid = (meta: EntryMeta): boolean => (meta.type === 'file' || meta.type === 'hardlink') && (meta.mode & 0o6000) !== 0;

/** Symlinks carry no meaningful mode; a sticky directory is shared on purpose. */
const isWorldWritable = (meta: EntryMeta): boolean =>
  meta.type !== 'symlink' && meta.type !== 'other' && (meta.mode & 0o002) !== 0 && !(meta.type === 'dir' && meta.mode & 0o1000);

export const setuidAnalyzer: FilesystemAnalyzer = {
  name: 'setuid',
  analyze(fs, out) {
    for (const [path, meta] of fs.entries(isSetuid)) out.setuidFiles.push({ path, mode: meta.mode });
  },
};

export const worldWritableAnalyzer: FilesystemAnalyzer = {
  name: 'world-writable',
  analyze(fs, out) {
    for (const [path, meta] of fs.entries(isWorldWritable)) out.worldWritable.push({ path, mode: meta.mode });
  },
};
