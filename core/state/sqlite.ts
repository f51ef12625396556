// SQLite backend for the CLI (default file .posture/state.db). better-sqlite3 is synchronous, but
// the interface is async and conditional (version checks, leases), so two processes or two
// interleaved tasks on one file behave exactly as two workers on DynamoDB do.
import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { FindingRecord, Intent, intentId } from './record.ts';
import type {
  AssetMark,
  ClaimRequest,
  FailRequest,
  OutboxCounts,
  RecordCommit,
  RedriveFilter,
  ScanClaim,
  ScanMark,
  SharedLease,
  SharedLeaseRequest,
  SharedWrite,
  StateStore,
} from './store.ts';
import { StateStoreError } from './store.ts';

const schema = `
CREATE TABLE IF NOT EXISTS findings (
  fingerprint TEXT PRIMARY KEY,
  asset_id    TEXT NOT NULL,
  version     INTEGER NOT NULL,
  record      TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS findings_by_asset ON findings(asset_id);
CREATE TABLE IF NOT EXISTS outbox (
  id              TEXT PRIMARY KEY,
  fingerprint     TEXT NOT NULL,
  target          TEXT NOT NULL,
  action          TEXT NOT NULL,
  rev             INTEGER NOT NULL,
  event_id        TEXT NOT NULL,
  state           TEXT NOT NULL,
  attempts        INTEGER NOT NULL,
  next_attempt_at INTEGER NOT NULL,
  not_before      INTEGER NOT NULL DEFAULT 0,
  redrives        INTEGER NOT NULL DEFAULT 0,
  lease_owner     TEXT,
  lease_until     INTEGER,
  last_error      TEXT,
  created_at      TEXT NOT NULL,
  updated_at      TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS outbox_due ON outbox(state, target, next_attempt_at);
CREATE TABLE IF NOT EXISTS shared (
  key         TEXT PRIMARY KEY,
  value       TEXT,
  lease_owner TEXT,
  lease_until INTEGER
);
-- Every scan key ever recorded, kept for ever: a rollback to an earlier configuration looked like a
-- redelivery. Replaced by the latest key per asset (assets); nothing reads it any more.
DROP TABLE IF EXISTS scans;
CREATE TABLE IF NOT EXISTS assets (
  asset_id    TEXT PRIMARY KEY,
  scope       TEXT,
  scan_key    TEXT NOT NULL,
  scan_id     TEXT NOT NULL,
  recorded_at INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS assets_by_scope ON assets(scope);
`;

/** Columns added after the first release, for state files created before them. */
const addedColumns: Record<string, string> = {
  not_before: 'ALTER TABLE outbox ADD COLUMN not_before INTEGER NOT NULL DEFAULT 0',
  redrives: 'ALTER TABLE outbox ADD COLUMN redrives INTEGER NOT NULL DEFAULT 0',
};

interface OutboxRow {
  id: string;
  fingerprint: string;
  target: string;
  action: string;
  rev: number;
  event_id: string;
  state: string;
  attempts: number;
  next_attempt_at: number;
  not_before: number;
  redrives: number;
  lease_owner: string | null;
  lease_until: number | null;
  last_error: string | null;
  created_at: string;
  updated_at: string;
}

function toIntent(row: OutboxRow): Intent {
  return Intent.parse({
    id: row.id,
    fingerprint: row.fingerprint,
    target: row.target,
    action: row.action,
    rev: row.rev,
    eventId: row.event_id,
    state: row.state,
    attempts: row.attempts,
    nextAttemptAt: row.next_attempt_at,
    notBefore: row.not_before,
    redrives: row.redrives,
    leaseOwner: row.lease_owner,
    leaseUntil: row.lease_until,
    lastError: row.last_error,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  });
}

function parseRecord(text: string, fingerprint: string): FindingRecord {
  const parsed = FindingRecord.safeParse(JSON.parse(text));
  if (!parsed.success) throw new StateStoreError(`state record ${fingerprint} is corrupt: ${parsed.error.message}`);
  return parsed.data;
}

const placeholders = (n: number) => Array.from({ length: n }, () => '?').join(',');

export class SqliteStateStore implements StateStore {
  readonly kind = 'sqlite' as const;
  private readonly db: Database.Database;

  constructor(readonly file: string) {
    if (file !== ':memory:') mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
    try {
      this.db = new Database(file);
    } catch (err) {
      throw new StateStoreError(`cannot open state database ${file}: ${(err as Error).message}`);
    }
    this.db.pragma('journal_mode = WAL');
    // Another process holding the write lock makes us wait, not fail.
    this.db.pragma('busy_timeout = 5000');
    this.db.exec(schema);
    const present = new Set((this.db.prepare('PRAGMA table_info(outbox)').all() as { name: string }[]).map((c) => c.name));
    for (const [column, ddl] of Object.entries(addedColumns)) if (!present.has(column)) this.db.exec(ddl);
  }

  async getRecord(fingerprint: string): Promise<FindingRecord | undefined> {
    const row = this.db.prepare('SELECT record FROM findings WHERE fingerprint = ?').get(fingerprint) as { record: string } | undefined;
    return row ? parseRecord(row.record, fingerprint) : undefined;
  }

  async listByAsset(assetId: string): Promise<FindingRecord[]> {
    const rows = this.db.prepare('SELECT fingerprint, record FROM findings WHERE asset_id = ? ORDER BY fingerprint').all(assetId) as {
      fingerprint: string;
      record: string;
    }[];
    return rows.map((r) => parseRecord(r.record, r.fingerprint));
  }

  async commit(change: RecordCommit): Promise<boolean> {
    const { record, expectedVersion, intents, now } = change;
    const stamp = new Date(now).toISOString();
    const write = this.db.transaction((): boolean => {
      if (expectedVersion === 0) {
        const inserted = this.db
          .prepare('INSERT INTO findings (fingerprint, asset_id, version, record) VALUES (?, ?, ?, ?) ON CONFLICT(fingerprint) DO NOTHING')
          .run(record.fingerprint, record.assetId, record.version, JSON.stringify(record));
        if (inserted.changes === 0) return false;
      } else {
        const updated = this.db
          .prepare('UPDATE findings SET asset_id = ?, version = ?, record = ? WHERE fingerprint = ? AND version = ?')
          .run(record.assetId, record.version, JSON.stringify(record), record.fingerprint, expectedVersion);
        if (updated.changes === 0) return false;
      }
      const upsert = this.db.prepare(`
        INSERT INTO outbox (id, fingerprint, target, action, rev, event_id, state, attempts, next_attempt_at, lease_owner, lease_until, last_error, created_at, updated_at)
        VALUES (@id, @fingerprint, @target, @action, 1, @eventId, 'pending', 0, @now, NULL, NULL, NULL, @stamp, @stamp)
        ON CONFLICT(id) DO UPDATE SET action = excluded.action, rev = outbox.rev + 1, event_id = excluded.event_id, state = 'pending', attempts = 0,
          next_attempt_at = excluded.next_attempt_at, not_before = 0, redrives = 0, last_error = NULL, updated_at = excluded.updated_at`);
      for (const intent of intents) {
        upsert.run({ id: intentId(record.fingerprint, intent.target), fingerprint: record.fingerprint, target: intent.target, action: intent.action, eventId: randomUUID(), now, stamp });
      }
      return true;
    });
    // IMMEDIATE takes the write lock up front, so two processes cannot both read-then-write.
    return write.immediate();
  }

  async markScan(mark: ScanMark): Promise<ScanClaim> {
    const claim = this.db.transaction((): ScanClaim => {
      const prev = this.db.prepare('SELECT scan_key FROM assets WHERE asset_id = ?').get(mark.assetId) as { scan_key: string } | undefined;
      const fresh = prev?.scan_key !== mark.key;
      this.db
        .prepare(
          `INSERT INTO assets (asset_id, scope, scan_key, scan_id, recorded_at) VALUES (@assetId, @scope, @key, @scanId, @now)
           ON CONFLICT(asset_id) DO UPDATE SET scope = COALESCE(excluded.scope, assets.scope),
             scan_key = excluded.scan_key,
             scan_id = CASE WHEN @fresh THEN excluded.scan_id ELSE assets.scan_id END,
             recorded_at = CASE WHEN @fresh THEN excluded.recorded_at ELSE assets.recorded_at END`,
        )
        .run({ assetId: mark.assetId, scope: mark.scope ?? null, key: mark.key, scanId: mark.scanId, now: mark.now, fresh: fresh ? 1 : 0 });
      return { fresh };
    });
    return claim.immediate();
  }

  async unmarkScan(assetId: string, key: string): Promise<void> {
    this.db.prepare("UPDATE assets SET scan_key = '' WHERE asset_id = ? AND scan_key = ?").run(assetId, key);
  }

  async getAsset(assetId: string): Promise<AssetMark | undefined> {
    const row = this.db.prepare('SELECT asset_id, scope, scan_key, scan_id, recorded_at FROM assets WHERE asset_id = ?').get(assetId) as
      | { asset_id: string; scope: string | null; scan_key: string; scan_id: string; recorded_at: number }
      | undefined;
    return row ? { assetId: row.asset_id, scope: row.scope, key: row.scan_key, scanId: row.scan_id, recordedAt: row.recorded_at } : undefined;
  }

  async listScopeAssets(scope: string): Promise<string[]> {
    return (this.db.prepare('SELECT asset_id FROM assets WHERE scope = ? ORDER BY asset_id').all(scope) as { asset_id: string }[]).map((r) => r.asset_id);
  }

  async forgetAsset(assetId: string, key: string): Promise<void> {
    this.db.prepare('DELETE FROM assets WHERE asset_id = ? AND scan_key = ?').run(assetId, key);
  }

  async claimIntents(request: ClaimRequest): Promise<Intent[]> {
    if (request.targets.length === 0 || request.limit <= 0) return [];
    const rows = this.db
      .prepare(
        `UPDATE outbox SET lease_owner = ?, lease_until = ?
         WHERE id IN (
           SELECT id FROM outbox
           WHERE state = 'pending' AND target IN (${placeholders(request.targets.length)}) AND next_attempt_at <= ? AND not_before <= ?
             AND (lease_until IS NULL OR lease_until <= ?)
           ORDER BY next_attempt_at, id LIMIT ?)
         RETURNING *`,
      )
      .all(request.owner, request.now + request.leaseMs, ...request.targets, request.dueBy ?? request.now, request.now, request.now, request.limit) as OutboxRow[];
    return rows.map(toIntent).sort((a, b) => a.nextAttemptAt - b.nextAttemptAt || a.id.localeCompare(b.id));
  }

  async completeIntent(intent: Intent, owner: string, ticketRef: string | null): Promise<void> {
    const finish = this.db.transaction(() => {
      if (ticketRef !== null) {
        this.db
          .prepare(`UPDATE findings SET version = version + 1,
              record = json_set(json_set(record, '$.tickets.' || json_quote(?), ?), '$.version', version + 1)
            WHERE fingerprint = ?`)
          .run(intent.target, ticketRef, intent.fingerprint);
      }
      const removed = this.db.prepare('DELETE FROM outbox WHERE id = ? AND rev = ? AND lease_owner = ?').run(intent.id, intent.rev, owner);
      if (removed.changes === 0) {
        // Rewritten while we delivered: keep the newer intent, but let anyone claim it now.
        this.db.prepare('UPDATE outbox SET lease_owner = NULL, lease_until = NULL WHERE id = ? AND lease_owner = ?').run(intent.id, owner);
      }
    });
    finish.immediate();
  }

  async failIntent(intent: Intent, request: FailRequest): Promise<void> {
    const attempts = intent.attempts + (request.countAttempt ? 1 : 0);
    this.db
      .prepare(
        `UPDATE outbox SET attempts = CASE WHEN rev = @rev THEN @attempts ELSE attempts END,
           state = CASE WHEN rev = @rev AND @park THEN 'parked' ELSE state END,
           next_attempt_at = CASE WHEN rev = @rev THEN (CASE WHEN @park THEN @now ELSE @retryAt END) ELSE next_attempt_at END,
           not_before = CASE WHEN rev = @rev THEN @notBefore ELSE not_before END,
           last_error = @error, lease_owner = NULL, lease_until = NULL, updated_at = @stamp
         WHERE id = @id AND lease_owner = @owner`,
      )
      .run({
        id: intent.id,
        rev: intent.rev,
        attempts,
        park: request.park ? 1 : 0,
        retryAt: request.retryAt,
        now: request.now,
        notBefore: request.park ? 0 : (request.notBefore ?? 0),
        error: request.error,
        stamp: new Date(request.now).toISOString(),
        owner: request.owner,
      });
  }

  async nextDue(targets: readonly string[], now: number): Promise<number | null> {
    if (targets.length === 0) return null;
    const row = this.db
      .prepare(
        `SELECT MIN(next_attempt_at) AS due FROM outbox
         WHERE state = 'pending' AND target IN (${placeholders(targets.length)}) AND (lease_until IS NULL OR lease_until <= ?)`,
      )
      .get(...targets, now) as { due: number | null };
    return row.due;
  }

  async listIntents(filter: { state?: Intent['state']; targets?: readonly string[] } = {}): Promise<Intent[]> {
    const where: string[] = [];
    const args: unknown[] = [];
    if (filter.state) {
      where.push('state = ?');
      args.push(filter.state);
    }
    if (filter.targets) {
      if (filter.targets.length === 0) return [];
      where.push(`target IN (${placeholders(filter.targets.length)})`);
      args.push(...filter.targets);
    }
    const sql = `SELECT * FROM outbox ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY id`;
    return (this.db.prepare(sql).all(...args) as OutboxRow[]).map(toIntent);
  }

  async countIntents(targets?: readonly string[]): Promise<OutboxCounts> {
    const intents = await this.listIntents(targets ? { targets } : {});
    return {
      pending: intents.filter((i) => i.state === 'pending').length,
      parked: intents.filter((i) => i.state === 'parked').length,
    };
  }

  async requeueParked(targets: readonly string[], now: number, filter?: RedriveFilter): Promise<number> {
    if (targets.length === 0) return 0;
    const admitted = filter ? 'AND next_attempt_at <= ? AND redrives < ?' : '';
    const result = this.db
      .prepare(
        `UPDATE outbox SET state = 'pending', attempts = 0, next_attempt_at = ?, not_before = 0, updated_at = ?${filter ? ', redrives = redrives + 1' : ''}
         WHERE state = 'parked' AND target IN (${placeholders(targets.length)}) ${admitted}`,
      )
      .run(now, new Date(now).toISOString(), ...targets, ...(filter ? [filter.parkedBefore, filter.maxRedrives] : []));
    return result.changes;
  }

  async wakeIntents(targets: readonly string[], now: number): Promise<number> {
    if (targets.length === 0) return 0;
    const result = this.db
      .prepare(
        `UPDATE outbox SET next_attempt_at = MAX(?, not_before)
         WHERE state = 'pending' AND target IN (${placeholders(targets.length)}) AND next_attempt_at > ? AND next_attempt_at > not_before
           AND (lease_until IS NULL OR lease_until <= ?)`,
      )
      .run(now, ...targets, now, now);
    return result.changes;
  }

  async leaseShared(request: SharedLeaseRequest): Promise<SharedLease> {
    const row = this.db
      .prepare(
        `INSERT INTO shared (key, value, lease_owner, lease_until) VALUES (@key, NULL, @owner, @until)
         ON CONFLICT(key) DO UPDATE SET lease_owner = @owner, lease_until = @until
           WHERE shared.lease_owner IS NULL OR shared.lease_until IS NULL OR shared.lease_until <= @now
         RETURNING value`,
      )
      .get({ key: request.key, owner: request.owner, until: request.now + request.leaseMs, now: request.now }) as { value: string | null } | undefined;
    if (row) return { held: true, value: row.value };
    const current = this.db.prepare('SELECT lease_until FROM shared WHERE key = ?').get(request.key) as { lease_until: number | null } | undefined;
    return { held: false, heldUntil: current?.lease_until ?? request.now };
  }

  async writeShared(request: SharedWrite): Promise<boolean> {
    const result = this.db
      .prepare(
        `UPDATE shared SET value = CASE WHEN @hasValue THEN @value ELSE value END,
           lease_owner = CASE WHEN @release THEN NULL ELSE lease_owner END,
           lease_until = CASE WHEN @release THEN NULL ELSE lease_until END
         WHERE key = @key AND lease_owner = @owner`,
      )
      .run({ key: request.key, owner: request.owner, hasValue: request.value === undefined ? 0 : 1, value: request.value ?? null, release: request.release ? 1 : 0 });
    return result.changes === 1;
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }
}
