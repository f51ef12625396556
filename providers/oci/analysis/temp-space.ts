// Temporary disk space for the large files package analyzers read by position (binaries, Java archives, RPM
// databases): each is written to a file of mode 0600 in a private directory (mode 0700, made on first use),
// so memory does not grow with file size. What is on disk at once is held to a budget
// (Limits.maxTempBytes); a file is removed as soon as it has been analyzed, and `dispose` removes whatever a
// failure left (a layer cut short mid-file, a deadline), so nothing outlives the image's analysis.
import { closeSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { fileSource, type ByteSource } from '../analyzers/byte-source.ts';

/** Thrown when a file would take the temporary space past its budget. */
export class TempSpaceExceeded extends Error {
  override name = 'TempSpaceExceeded';
}

export class TempFile {
  private written = 0;
  private closed = false;

  constructor(
    private readonly space: TempSpace,
    readonly path: string,
    private readonly fd: number,
    readonly size: number,
  ) {}

  /** Appends content; never more than the size reserved for it. */
  write(chunk: Buffer): void {
    if (this.written + chunk.length > this.size) throw new Error(`more content than the ${this.size} bytes announced`);
    let done = 0;
    while (done < chunk.length) done += writeSync(this.fd, chunk, done, chunk.length - done, this.written + done);
    this.written += chunk.length;
  }

  get complete(): boolean {
    return this.written === this.size;
  }

  /** The content written so far, read by position. */
  source(): ByteSource {
    return fileSource(this.path, this.fd, this.written);
  }

  /** Closes and deletes the file and gives its bytes back to the budget; safe to call twice. */
  remove(): void {
    if (this.closed) return;
    this.closed = true;
    closeSync(this.fd);
    rmSync(this.path, { force: true });
    this.space.release(this);
  }
}

export class TempSpace {
  private dir: string | null = null;
  private used = 0;
  private next = 0;
  private readonly open = new Set<TempFile>();

  constructor(
    /** Bytes on disk at once. */
    readonly budget: number,
    /** Files above this size are spooled instead of held in memory. */
    readonly spoolAbove: number,
  ) {}

  /** Reserves `size` bytes and creates an empty file for them; throws TempSpaceExceeded past the budget. */
  create(size: number, what: string): TempFile {
    if (this.used + size > this.budget) {
      throw new TempSpaceExceeded(`${what} is ${size} bytes; with the ${this.used} bytes already on disk it would take the temporary space past its ${this.budget}-byte budget (imageScan.limits.maxTempBytes)`);
    }
    this.dir ??= mkdtempSync(join(tmpdir(), 'posture-scan-'));
    const path = join(this.dir, `file-${this.next++}`);
    const fd = openSync(path, 'wx+', 0o600);
    const file = new TempFile(this, path, fd, size);
    this.used += size;
    this.open.add(file);
    return file;
  }

  /** Writes a stream (an entry inflated from an archive) to a new file of at most `size` bytes. */
  async spool(stream: Readable, size: number, what: string): Promise<TempFile> {
    const file = this.create(size, what);
    try {
      for await (const chunk of stream as AsyncIterable<Buffer>) file.write(chunk);
      if (!file.complete) throw new Error(`${what} ends before the ${size} bytes its header announced`);
      return file;
    } catch (err) {
      stream.destroy();
      file.remove();
      throw err;
    }
  }

  release(file: TempFile): void {
    if (this.open.delete(file)) this.used -= file.size;
  }

  /** Removes every file still open and the directory itself. */
  dispose(): void {
    for (const file of [...this.open]) file.remove();
    if (this.dir) rmSync(this.dir, { recursive: true, force: true });
    this.dir = null;
  }
}
