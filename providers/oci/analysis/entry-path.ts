// Judges a tar entry's name (and link target) before anything is recorded. A leading `/` is read relative
// to the image root, as tar and container runtimes extract it (so `/root/.aws/credentials` is that file
// in the image). Only what escapes the root is refused: `..` segments, NUL bytes, over-long names, and
// links that climb out, because tools that extract images naively would write outside their target.
import { stripControl } from '../../../core/terminal.ts';
import type { ScanErrorCode } from '../errors.ts';

export type PathVerdict = { ok: true; path: string } | { ok: false; code: ScanErrorCode; reason: string };

/**
 * What a name needs before it is a clean relative path: a leading `/`, an empty, `.` or `..` segment, a
 * trailing `/` (directories), a NUL byte. Most names of a layer have none, and are used as they are.
 */
const unclean = /^\/|\/\/|\/$|(?:^|\/)\.\.?(?:\/|$)|\0/;

/** The entry's path relative to the image root (no leading or trailing `/`, no empty or `.` segments; "" for the root itself). */
export function checkEntryPath(name: string, maxLength: number): PathVerdict {
  if (name.length > maxLength) return { ok: false, code: 'path-too-long', reason: `entry name is ${name.length} characters, over the ${maxLength} limit` };
  if (!unclean.test(name)) return { ok: true, path: name };
  const segments: string[] = [];
  for (const s of name.split('/')) {
    if (s === '' || s === '.') continue;
    if (s === '..') return { ok: false, code: 'path-traversal', reason: `entry "${stripControl(name)}" climbs out with ".."` };
    segments.push(s);
  }
  if (name.includes('\0')) return { ok: false, code: 'path-traversal', reason: `entry "${stripControl(name)}" contains a NUL byte` };
  return { ok: true, path: segments.join('/') };
}

/** A relative symlink target that climbs above the root from its own directory escapes; absolute ones resolve inside the image. */
export function symlinkEscapes(entryPath: string, target: string): boolean {
  if (target.startsWith('/')) return false;
  let depth = 0; // the link's directory: one level per `/` in its (clean, relative) path
  for (let i = entryPath.indexOf('/'); i >= 0; i = entryPath.indexOf('/', i + 1)) depth++;
  for (const s of target.split('/')) {
    if (s === '' || s === '.') continue;
    depth += s === '..' ? -1 : 1;
    if (depth < 0) return true;
  }
  return false;
}

/** Hard links name another archive entry (relative to the root, like entry names); one that climbs with `..` points outside the image. */
export function hardlinkEscapes(target: string): boolean {
  return target.split('/').includes('..');
}
