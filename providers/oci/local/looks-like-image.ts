// Whether a local path is worth handing to the image analyzer: asked of every file and directory a scan
// walks, so it reads a few bytes and loads none of the analyzer.
import { stat } from 'node:fs/promises';
import { DirectoryFiles, openRegular } from './directory-files.ts';

/**
 * Cheap, without reading an archive through: a directory holding an OCI layout, or a file that starts like
 * a tar or a gzip stream. Whether an archive really is an image is known once it is indexed (collectLocalImage).
 */
export async function looksLikeLocalImage(path: string): Promise<boolean> {
  try {
    const info = await stat(path);
    if (info.isDirectory()) {
      const files = new DirectoryFiles(path);
      return (await files.size('oci-layout')) !== null && (await files.size('index.json')) !== null;
    }
    return info.isFile() && (await isTarLike(path));
  } catch {
    return false;
  }
}

async function isTarLike(path: string): Promise<boolean> {
  const opened = await openRegular(path);
  if (!opened) return false;
  try {
    const head = Buffer.alloc(263);
    const { bytesRead } = await opened.handle.read(head, 0, 263, 0);
    if (bytesRead >= 2 && head[0] === 0x1f && head[1] === 0x8b) return true;
    return bytesRead >= 262 && head.subarray(257, 262).toString('latin1') === 'ustar';
  } finally {
    await opened.handle.close();
  }
}
