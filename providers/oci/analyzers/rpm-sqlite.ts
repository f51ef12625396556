// rpm's SQLite package database (`rpmdb.sqlite`, RHEL 9, Fedora, Rocky/Alma 9): table Packages(hnum, blob).
// Read with Node's built-in SQLite from a private temporary copy opened read-only (the engine needs a file);
// a database left in WAL mode is opened as a plain rollback-journal one, since the copy has no -wal file.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const require = createRequire(import.meta.url);
const maxRows = 100_000;

export const isSqlite = (b: Buffer): boolean => b.length >= 100 && b.toString('latin1', 0, 16) === 'SQLite format 3\0';

export function sqliteBlobs(b: Buffer): Buffer[] {
  if (!isSqlite(b)) throw new Error('not a SQLite database');
  const copy = Buffer.from(b);
  if (copy[18] === 2) copy[18] = copy[19] = 1;
  const dir = mkdtempSync(join(tmpdir(), 'posture-rpmdb-'));
  try {
    const file = join(dir, 'rpmdb.sqlite');
    writeFileSync(file, copy, { mode: 0o600 });
    const { DatabaseSync } = require('node:sqlite') as typeof import('node:sqlite');
    const db = new DatabaseSync(file, { readOnly: true });
    try {
      const rows = db.prepare(`SELECT blob FROM Packages LIMIT ${maxRows + 1}`).all() as { blob: Uint8Array }[];
      if (rows.length > maxRows) throw new Error(`more than ${maxRows} packages`);
      return rows.map((r) => Buffer.from(r.blob));
    } finally {
      db.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
