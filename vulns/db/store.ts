// The local vulnerability database: OSV records indexed by (ecosystem, package) in one SQLite file, read
// and written with Node's built-in SQLite (node:sqlite), so the same file opens in the CLI and in a Lambda
// bundle, which cannot carry a native addon built on another machine. Each source (an ecosystem archive
// or a local directory/zip) is replaced whole in one transaction, so a failed or cut-off update leaves the
// previous data in place. Opening is a file open; a lookup is one indexed query per package.
import { existsSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { DatabaseSync, StatementSync } from 'node:sqlite';
import { z } from 'zod';
import { normalizePackageName, type OsvAffected, type OsvRecord, type OsvSeverity } from '../osv/record.ts';

export const schemaVersion = 1;

const schema = `
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS sources (
  name TEXT PRIMARY KEY, location TEXT NOT NULL, etag TEXT, last_modified TEXT, sha256 TEXT,
  fetched_at TEXT NOT NULL, checked_at TEXT NOT NULL, records INTEGER NOT NULL, withdrawn INTEGER NOT NULL, rejected INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS records (
  source TEXT NOT NULL, id TEXT NOT NULL, modified TEXT NOT NULL, published TEXT, summary TEXT,
  aliases TEXT NOT NULL, upstream TEXT NOT NULL, severity TEXT NOT NULL, database_specific TEXT, refs TEXT NOT NULL,
  PRIMARY KEY (source, id)
);
CREATE TABLE IF NOT EXISTS affected (
  source TEXT NOT NULL, ecosystem TEXT NOT NULL, name TEXT NOT NULL, record_id TEXT NOT NULL, data TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS affected_package ON affected (ecosystem, name);
CREATE INDEX IF NOT EXISTS affected_source ON affected (source);
`;

export interface SourceState {
  name: string;
  location: string;
  etag: string | null;
  lastModified: string | null;
  sha256: string | null;
  fetchedAt: string;
  checkedAt: string;
  records: number;
  withdrawn: number;
  rejected: number;
}

/** What matching reads for one candidate record. */
export interface StoredMatch {
  recordId: string;
  source: string;
  modified: string;
  published: string | null;
  summary: string | null;
  aliases: string[];
  upstream: string[];
  severity: OsvSeverity[];
  databaseSpecific: Record<string, unknown> | null;
  references: string[];
  affected: OsvAffected;
}

const Json = <T extends z.ZodType>(t: T) => z.string().transform((s, ctx) => {
  try {
    return t.parse(JSON.parse(s)) as z.infer<T>;
  } catch {
    ctx.addIssue({ code: 'custom', message: 'stored JSON is unreadable' });
    return z.NEVER;
  }
});

const Row = z.object({
  record_id: z.string(),
  source: z.string(),
  modified: z.string(),
  published: z.string().nullable(),
  summary: z.string().nullable(),
  aliases: Json(z.array(z.string())),
  upstream: Json(z.array(z.string())),
  severity: Json(z.array(z.object({ type: z.string(), score: z.string() }).loose())),
  database_specific: z.string().nullable(),
  refs: Json(z.array(z.string())),
  data: z.string(),
});

export interface SourceWriter {
  /** Stores the record's entries that belong to this source; false when it has none. */
  add(record: OsvRecord): boolean;
  commit(final: Pick<SourceState, 'withdrawn' | 'rejected'>): { records: number; entries: number };
  rollback(): void;
}

export class VulnDbError extends Error {
  override name = 'VulnDbError';
}

// Loaded on first use (a plain `import` of node:sqlite prints its experimental warning in every command).
const require = createRequire(import.meta.url);
const sqlite = () => require('node:sqlite') as typeof import('node:sqlite');

const one = <T>(db: DatabaseSync, sql: string, ...params: (string | number | null)[]): T | undefined => db.prepare(sql).get(...params) as T | undefined;

export class VulnStore {
  private readonly db: DatabaseSync;
  private readonly lookup: StatementSync;

  private constructor(db: DatabaseSync, readonly file: string) {
    this.db = db;
    this.lookup = db.prepare(
      `SELECT a.record_id, a.source, a.data, r.modified, r.published, r.summary, r.aliases, r.upstream, r.severity, r.database_specific, r.refs
       FROM affected a JOIN records r ON r.source = a.source AND r.id = a.record_id
       WHERE a.ecosystem = ? AND a.name = ?`,
    );
  }

  /** Opens (creating when `create`) the database file. A file of another schema version is refused by name. */
  static open(file: string, options: { create?: boolean; readonly?: boolean } = {}): VulnStore {
    if (options.create) mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
    let db: DatabaseSync;
    try {
      if (!options.create && !existsSync(file)) throw new Error('no such file');
      db = new (sqlite().DatabaseSync)(file, { readOnly: options.readonly ?? false });
    } catch (err) {
      throw new VulnDbError(`vulnerability database ${file} cannot be opened: ${(err as Error).message}${options.create ? '' : ' (run `posture db update` first)'}`);
    }
    try {
      if (!options.readonly) {
        db.exec('PRAGMA journal_mode = WAL');
        db.exec(schema);
        const v = one<{ value: string }>(db, 'SELECT value FROM meta WHERE key = ?', 'schema');
        if (!v) db.prepare('INSERT INTO meta (key, value) VALUES (?, ?)').run('schema', String(schemaVersion));
      }
      const v = one<{ value: string }>(db, 'SELECT value FROM meta WHERE key = ?', 'schema');
      if (v?.value !== String(schemaVersion)) throw new VulnDbError(`vulnerability database ${file} has schema ${v?.value ?? '(none)'}, this posture reads ${schemaVersion}: run \`posture db update\` to rebuild it`);
    } catch (err) {
      db.close();
      if (err instanceof VulnDbError) throw err;
      throw new VulnDbError(`vulnerability database ${file} is not readable: ${(err as Error).message}`);
    }
    return new VulnStore(db, file);
  }

  /** Candidate records for one package (the caller judges versions). */
  candidates(ecosystem: string, name: string): StoredMatch[] {
    const rows = this.lookup.all(ecosystem, normalizePackageName(ecosystem, name));
    return rows.map((raw) => {
      const row = Row.parse(raw);
      return {
        recordId: row.record_id,
        source: row.source,
        modified: row.modified,
        published: row.published,
        summary: row.summary,
        aliases: row.aliases,
        upstream: row.upstream,
        severity: row.severity,
        databaseSpecific: row.database_specific ? (JSON.parse(row.database_specific) as Record<string, unknown>) : null,
        references: row.refs,
        affected: JSON.parse(row.data) as OsvAffected,
      };
    });
  }

  source(name: string): SourceState | null {
    const row = one<Record<string, unknown>>(this.db, 'SELECT * FROM sources WHERE name = ?', name);
    return row ? toSource(row) : null;
  }

  sources(): SourceState[] {
    return (this.db.prepare('SELECT * FROM sources ORDER BY name').all() as Record<string, unknown>[]).map(toSource);
  }

  /** Records and affected packages per ecosystem, for `posture db status`. */
  counts(): { ecosystem: string; packages: number; entries: number }[] {
    return this.db
      .prepare('SELECT ecosystem, COUNT(DISTINCT name) AS packages, COUNT(*) AS entries FROM affected GROUP BY ecosystem ORDER BY ecosystem')
      .all()
      .map((r) => ({ ecosystem: String(r['ecosystem']), packages: Number(r['packages']), entries: Number(r['entries']) }));
  }

  /** Marks a source as checked without change (HTTP 304). */
  touch(name: string, checkedAt: string): void {
    this.db.prepare('UPDATE sources SET checked_at = ? WHERE name = ?').run(checkedAt, name);
  }

  /**
   * Starts replacing everything a source holds, in one transaction: nothing is visible (and the old data
   * stays) until `commit`; `rollback` (a corrupt or cut-off archive) leaves the database as it was.
   * `accept` says which affected entries belong to this source (an ecosystem archive also lists other
   * ecosystems' entries of the same record).
   */
  beginReplace(state: Omit<SourceState, 'records'>, accept: (ecosystem: string) => boolean): SourceWriter {
    const insRecord = this.db.prepare(
      'INSERT OR REPLACE INTO records (source, id, modified, published, summary, aliases, upstream, severity, database_specific, refs) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
    );
    const insAffected = this.db.prepare('INSERT INTO affected (source, ecosystem, name, record_id, data) VALUES (?, ?, ?, ?, ?)');
    const upsertSource = this.db.prepare(
      `INSERT OR REPLACE INTO sources (name, location, etag, last_modified, sha256, fetched_at, checked_at, records, withdrawn, rejected)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    this.db.exec('BEGIN IMMEDIATE');
    this.db.prepare('DELETE FROM affected WHERE source = ?').run(state.name);
    this.db.prepare('DELETE FROM records WHERE source = ?').run(state.name);
    let records = 0;
    let entries = 0;
    let open = true;
    const db = this.db;
    return {
      add(r: OsvRecord): boolean {
        const mine = (r.affected ?? []).filter((a) => a.package && accept(a.package.ecosystem));
        if (mine.length === 0) return false;
        insRecord.run(
          state.name,
          r.id,
          r.modified,
          r.published ?? null,
          r.summary ?? null,
          JSON.stringify(r.aliases ?? []),
          JSON.stringify(r.upstream ?? []),
          JSON.stringify(r.severity ?? []),
          r.database_specific ? JSON.stringify(r.database_specific) : null,
          JSON.stringify((r.references ?? []).filter((x) => x.type === 'ADVISORY' || x.type === 'WEB').slice(0, 3).map((x) => x.url)),
        );
        records++;
        for (const a of mine) {
          insAffected.run(state.name, a.package!.ecosystem, normalizePackageName(a.package!.ecosystem, a.package!.name), r.id, JSON.stringify(a));
          entries++;
        }
        return true;
      },
      commit(final: Pick<SourceState, 'withdrawn' | 'rejected'>) {
        const s = { ...state, ...final, records };
        upsertSource.run(s.name, s.location, s.etag, s.lastModified, s.sha256, s.fetchedAt, s.checkedAt, s.records, s.withdrawn, s.rejected);
        db.exec('COMMIT');
        open = false;
        return { records, entries };
      },
      rollback() {
        if (open) db.exec('ROLLBACK');
        open = false;
      },
    };
  }

  /**
   * Writes a compacted copy of the whole database to `file` (VACUUM INTO): no free pages, no WAL, one
   * self-contained file, which is what the cloud index ships (vulns/db/s3-index.ts).
   */
  compactTo(file: string): void {
    this.db.prepare('VACUUM INTO ?').run(file);
  }

  close(): void {
    this.db.close();
  }
}

function toSource(row: Record<string, unknown>): SourceState {
  return {
    name: String(row['name']),
    location: String(row['location']),
    etag: (row['etag'] as string | null) ?? null,
    lastModified: (row['last_modified'] as string | null) ?? null,
    sha256: (row['sha256'] as string | null) ?? null,
    fetchedAt: String(row['fetched_at']),
    checkedAt: String(row['checked_at']),
    records: Number(row['records']),
    withdrawn: Number(row['withdrawn']),
    rejected: Number(row['rejected']),
  };
}
