// rpm's SQLite package database (`rpmdb.sqlite`, RHEL 9, Fedora, Rocky/Alma 9): table Packages(hnum, blob).
// Read with Node's built-in SQLite, which needs a file: a large database is already in a private temporary
// copy (analysis/temp-space.ts) and is opened there; a small one held in memory is written to one. The copy
// is opened read-only; a database left in WAL mode is marked as a plain rollback-journal one first, since the
// copy has no -wal file. Rows are read one at a time, and a header too large to read is named, not loaded.
import { mkdtempSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readAll, type ByteSource } from './byte-source.ts';
import type { RpmBlob } from './rpm-header.ts';

const require = createRequire(import.meta.url);
const maxRows = 100_000;

export const isSqlite = (b: Buffer): boolean => b.length >= 100 && b.toString('latin1', 0, 16) === 'SQLite format 3\0';

/** Bytes 18 and 19 of the header are the write and read format versions: 2 is WAL, 1 rollback journal. */
const walToRollback = (header: Buffer): Buffer | null => (header[18] === 2 ? Buffer.from([1, 1]) : null);

function* rows(file: string, maxBlobBytes: number): Generator<RpmBlob> {
  const { DatabaseSync } = require('node:sqlite') as typeof import('node:sqlite');
  const db = new DatabaseSync(file, { readOnly: true });
  try {
    // length() is answered from the record header without loading the value, so a huge blob is never read.
    const select = db.prepare(`SELECT rowid AS id, length(blob) AS size, CASE WHEN length(blob) <= ${maxBlobBytes} THEN blob END AS blob FROM Packages LIMIT ${maxRows + 1}`);
    let n = 0;
    for (const row of select.iterate() as Iterable<{ id: number; size: number | null; blob: Uint8Array | string | null }>) {
      if (++n > maxRows) throw new Error(`more than ${maxRows} packages`);
      if (row.blob !== null) yield typeof row.blob === 'string' ? Buffer.from(row.blob) : Buffer.from(row.blob.buffer, row.blob.byteOffset, row.blob.byteLength);
      else if (row.size !== null) yield { oversized: row.size, id: row.id };
    }
  } finally {
    db.close();
  }
}

export function* sqliteBlobs(src: ByteSource, maxBlobBytes: number): Generator<RpmBlob> {
  const header = src.read(0, 100);
  if (!isSqlite(header)) throw new Error('not a SQLite database');
  const patch = walToRollback(header);
  if (src.file) {
    // The temporary copy is this scan's own, so it may be marked in place.
    if (patch) writeSync(src.file.fd, patch, 0, 2, 18);
    yield* rows(src.file.path, maxBlobBytes);
    return;
  }
  const dir = mkdtempSync(join(tmpdir(), 'posture-rpmdb-'));
  try {
    const file = join(dir, 'rpmdb.sqlite');
    const copy = Buffer.from(readAll(src));
    if (patch) patch.copy(copy, 18);
    writeFileSync(file, copy, { mode: 0o600 });
    yield* rows(file, maxBlobBytes);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
