// A local image layout directory read file by file: every name is resolved inside the layout (a link
// leading out of it is refused, never read) and opened non-blocking as a regular file, so a FIFO named like
// a blob cannot stop the scan. Kept apart from the tarball reader so that telling whether a directory is a
// layout (every directory a scan walks is asked) loads no archive code.
import { constants } from 'node:fs';
import { open as openFile, realpath, type FileHandle } from 'node:fs/promises';
import { join, normalize, sep } from 'node:path';
import type { Readable } from 'node:stream';
import { ImageScanError } from '../errors.ts';

export interface LocalFiles {
  readonly description: string;
  size(name: string): Promise<number | null>;
  read(name: string, maxBytes: number): Promise<Buffer>;
  open(name: string): Promise<Readable>;
  /** Releases what reading needed (a temporary inflated copy). */
  close(): Promise<void>;
}

export function tooLarge(where: string, name: string, size: number, maxBytes: number): ImageScanError {
  return new ImageScanError('manifest-too-large', `${where}: ${name} is ${size} bytes, over the ${maxBytes}-byte limit`);
}

/**
 * Opens a file that must be regular without blocking on a FIFO (or a device) put in its place; null when it
 * is not a regular file. The caller closes the handle (a stream made from it closes it when done).
 */
export async function openRegular(file: string): Promise<{ handle: FileHandle; size: number } | null> {
  const handle = await openFile(file, constants.O_RDONLY | constants.O_NONBLOCK);
  try {
    const info = await handle.stat();
    if (info.isFile()) return { handle, size: info.size };
  } catch (err) {
    await handle.close();
    throw err;
  }
  await handle.close();
  return null;
}

const inside = (root: string, target: string): boolean => target.startsWith(root.endsWith(sep) ? root : root + sep);

export class DirectoryFiles implements LocalFiles {
  private realRoot: Promise<string> | undefined;
  constructor(private readonly root: string) {}
  get description(): string {
    return this.root;
  }

  /** The file `name` stands for, refused when its name or a link on the way leads out of the layout. */
  private async resolve(name: string): Promise<string> {
    const full = normalize(join(this.root, name));
    if (!full.startsWith(normalize(this.root) + sep)) throw new ImageScanError('path-traversal', `${this.root}: "${name}" points outside the layout`);
    const real = await realpath(full);
    this.realRoot ??= realpath(this.root);
    if (!inside(await this.realRoot, real)) throw new ImageScanError('symlink-escape', `${this.root}: ${name} is a link leading out of the layout (to ${real}); refused, not read`);
    return real;
  }

  /** The regular file `name`, opened; null when it is missing or not a regular file. */
  private async openName(name: string): Promise<{ handle: FileHandle; size: number } | null> {
    let file: string;
    try {
      file = await this.resolve(name);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw err;
    }
    return openRegular(file);
  }

  async size(name: string): Promise<number | null> {
    try {
      const opened = await this.openName(name);
      await opened?.handle.close();
      return opened?.size ?? null;
    } catch {
      return null;
    }
  }

  async read(name: string, maxBytes: number): Promise<Buffer> {
    const opened = await this.openName(name);
    if (!opened) throw new ImageScanError('local-layout-invalid', `${this.root}: ${name} is missing or not a regular file`);
    const { handle, size } = opened;
    try {
      if (size > maxBytes) throw tooLarge(this.root, name, size, maxBytes);
      const buf = Buffer.alloc(size);
      const { bytesRead } = await handle.read(buf, 0, size, 0);
      return buf.subarray(0, bytesRead);
    } finally {
      await handle.close();
    }
  }

  async open(name: string): Promise<Readable> {
    const opened = await this.openName(name);
    if (!opened) throw new ImageScanError('local-layout-invalid', `${this.root}: ${name} is missing or not a regular file`);
    return opened.handle.createReadStream({ highWaterMark: 256 * 1024 });
  }

  async close(): Promise<void> {}
}
