// DynamoDB backend (Lambda). One table, single-table layout:
//   pk F#<fingerprint>  sk R          the finding record (body JSON + tickets map + version)
//   pk F#<fingerprint>  sk O#<target> its outbox intent for one publisher
//   pk A#<sha256(asset)> sk A         an asset: its latest recorded scan key and the scope that enumerated it
//   pk G#<key>          sk G          a shared value under a lease (e.g. the Jira issue of a finding group)
// GSI byAsset (assetId) lists an asset's records; GSI outbox (queue = state#target, nextAttemptAt)
// finds due intents; sparse GSI byScope (scope) lists the assets a scope's collection enumerated. Every write that races is conditional: version for records, rev+lease for intents.
import {
  type AttributeDefinition,
  CreateTableCommand,
  type CreateTableCommandInput,
  DescribeTableCommand,
  DynamoDBClient,
  type DynamoDBClientConfig,
  ResourceInUseException,
  TransactionCanceledException,
  ConditionalCheckFailedException,
} from '@aws-sdk/client-dynamodb';
import {
  DeleteCommand,
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  TransactWriteCommand,
  UpdateCommand,
  paginateQuery,
  paginateScan,
  type NativeAttributeValue,
} from '@aws-sdk/lib-dynamodb';
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { sha256 } from '../canonical.ts';
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

type Item = Record<string, NativeAttributeValue>;

export const stateTableKeys = {
  partitionKey: 'pk',
  sortKey: 'sk',
  byAssetIndex: { name: 'byAsset', partitionKey: 'assetId' },
  outboxIndex: { name: 'outbox', partitionKey: 'queue', sortKey: 'nextAttemptAt' },
  byScopeIndex: { name: 'byScope', partitionKey: 'scope', include: ['asset'] },
} as const;

/** The table as CreateTable wants it; the CDK stack mirrors these names. */
export function stateTableDefinition(tableName: string): CreateTableCommandInput {
  const attrs: AttributeDefinition[] = [
    { AttributeName: 'pk', AttributeType: 'S' },
    { AttributeName: 'sk', AttributeType: 'S' },
    { AttributeName: 'assetId', AttributeType: 'S' },
    { AttributeName: 'queue', AttributeType: 'S' },
    { AttributeName: 'nextAttemptAt', AttributeType: 'N' },
    { AttributeName: 'scope', AttributeType: 'S' },
  ];
  return {
    TableName: tableName,
    BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: attrs,
    KeySchema: [
      { AttributeName: 'pk', KeyType: 'HASH' },
      { AttributeName: 'sk', KeyType: 'RANGE' },
    ],
    GlobalSecondaryIndexes: [
      { IndexName: 'byAsset', KeySchema: [{ AttributeName: 'assetId', KeyType: 'HASH' }], Projection: { ProjectionType: 'KEYS_ONLY' } },
      {
        IndexName: 'outbox',
        KeySchema: [
          { AttributeName: 'queue', KeyType: 'HASH' },
          { AttributeName: 'nextAttemptAt', KeyType: 'RANGE' },
        ],
        Projection: { ProjectionType: 'ALL' },
      },
      {
        IndexName: 'byScope',
        KeySchema: [{ AttributeName: 'scope', KeyType: 'HASH' }],
        Projection: { ProjectionType: 'INCLUDE', NonKeyAttributes: ['asset'] },
      },
    ],
  };
}

const RecordItem = z.object({ body: z.string(), tickets: z.record(z.string(), z.string()).default({}), version: z.number() });

const recordKey = (fp: string) => ({ pk: `F#${fp}`, sk: 'R' });
const intentKey = (fp: string, target: string) => ({ pk: `F#${fp}`, sk: `O#${target}` });
const sharedKey = (key: string) => ({ pk: `G#${key}`, sk: 'G' });
// Asset ids may be up to 2 KB; a key part is hashed so the item key stays small.
const assetKey = (assetId: string) => ({ pk: `A#${sha256(assetId)}`, sk: 'A' });
const AssetItem = z.object({ asset: z.string(), scope: z.string().optional(), scanKey: z.string(), scanId: z.string(), recordedAt: z.number() });
const queueOf = (state: Intent['state'], target: string) => `${state}#${target}`;

function isConditionFailure(err: unknown): boolean {
  if (err instanceof ConditionalCheckFailedException) return true;
  if (err instanceof TransactionCanceledException) {
    // ConditionalCheckFailed: someone wrote first. TransactionConflict: someone is writing right now.
    return (err.CancellationReasons ?? []).some((r) => r.Code === 'ConditionalCheckFailed' || r.Code === 'TransactionConflict');
  }
  return false;
}

function toIntent(item: Item): Intent {
  const parsed = Intent.safeParse({ ...item, id: intentId(String(item.fingerprint), String(item.target)) });
  if (!parsed.success) throw new StateStoreError(`outbox item ${String(item.pk)}/${String(item.sk)} is corrupt: ${parsed.error.message}`);
  return parsed.data;
}

export interface DynamoStateStoreOptions {
  tableName: string;
  client?: DynamoDBClient;
  clientConfig?: DynamoDBClientConfig;
}

export class DynamoStateStore implements StateStore {
  readonly kind = 'dynamodb' as const;
  readonly tableName: string;
  private readonly raw: DynamoDBClient;
  private readonly doc: DynamoDBDocumentClient;
  private readonly ownsClient: boolean;

  constructor(options: DynamoStateStoreOptions) {
    this.tableName = options.tableName;
    this.ownsClient = !options.client;
    this.raw = options.client ?? new DynamoDBClient(options.clientConfig ?? {});
    this.doc = DynamoDBDocumentClient.from(this.raw, { marshallOptions: { removeUndefinedValues: true } });
  }

  /** Creates the table when missing (CLI against a fresh account, tests); CDK owns it in production. */
  async ensureTable(): Promise<void> {
    try {
      await this.raw.send(new CreateTableCommand(stateTableDefinition(this.tableName)));
    } catch (err) {
      if (!(err instanceof ResourceInUseException)) throw err;
    }
    for (let i = 0; i < 60; i++) {
      const described = await this.raw.send(new DescribeTableCommand({ TableName: this.tableName }));
      if (described.Table?.TableStatus === 'ACTIVE') return;
      await new Promise((r) => setTimeout(r, 500));
    }
    throw new StateStoreError(`table ${this.tableName} did not become ACTIVE`);
  }

  async getRecord(fingerprint: string): Promise<FindingRecord | undefined> {
    const out = await this.doc.send(new GetCommand({ TableName: this.tableName, Key: recordKey(fingerprint), ConsistentRead: true }));
    return out.Item ? this.parseRecord(out.Item, fingerprint) : undefined;
  }

  private parseRecord(item: Item, fingerprint: string): FindingRecord {
    const stored = RecordItem.safeParse(item);
    if (!stored.success) throw new StateStoreError(`state record ${fingerprint} is corrupt: ${stored.error.message}`);
    const parsed = FindingRecord.safeParse({ ...(JSON.parse(stored.data.body) as object), tickets: stored.data.tickets, version: stored.data.version });
    if (!parsed.success) throw new StateStoreError(`state record ${fingerprint} is corrupt: ${parsed.error.message}`);
    return parsed.data;
  }

  async listByAsset(assetId: string): Promise<FindingRecord[]> {
    const fingerprints: string[] = [];
    const pages = paginateQuery(
      { client: this.doc },
      { TableName: this.tableName, IndexName: 'byAsset', KeyConditionExpression: 'assetId = :a', ExpressionAttributeValues: { ':a': assetId } },
    );
    for await (const page of pages) for (const item of page.Items ?? []) fingerprints.push(String(item.pk).slice(2));
    const records = await Promise.all(fingerprints.map((fp) => this.getRecord(fp)));
    return records.filter((r): r is FindingRecord => r !== undefined).sort((a, b) => a.fingerprint.localeCompare(b.fingerprint));
  }

  async commit(change: RecordCommit): Promise<boolean> {
    const { record, expectedVersion, intents, now } = change;
    const { tickets, version, ...body } = record;
    const stamp = new Date(now).toISOString();
    const put = {
      Put: {
        TableName: this.tableName,
        Item: { ...recordKey(record.fingerprint), assetId: record.assetId, body: JSON.stringify(body), tickets, version },
        ...(expectedVersion === 0
          ? { ConditionExpression: 'attribute_not_exists(pk)' }
          : { ConditionExpression: 'version = :v', ExpressionAttributeValues: { ':v': expectedVersion } }),
      },
    };
    const updates = intents.map((intent) => ({
      Update: {
        TableName: this.tableName,
        Key: intentKey(record.fingerprint, intent.target),
        // Lease fields are left alone: a drainer delivering the older rev keeps its lease.
        UpdateExpression:
          'SET fingerprint = :fp, target = :t, #action = :a, rev = if_not_exists(rev, :zero) + :one, eventId = :eid, #state = :pending, #queue = :q, ' +
          'attempts = :zero, nextAttemptAt = :now, notBefore = :zero, redrives = :zero, lastError = :null, createdAt = if_not_exists(createdAt, :stamp), updatedAt = :stamp, ' +
          'leaseOwner = if_not_exists(leaseOwner, :null), leaseUntil = if_not_exists(leaseUntil, :null)',
        ExpressionAttributeNames: { '#action': 'action', '#state': 'state', '#queue': 'queue' },
        ExpressionAttributeValues: {
          ':fp': record.fingerprint,
          ':t': intent.target,
          ':a': intent.action,
          ':eid': randomUUID(),
          ':zero': 0,
          ':one': 1,
          ':pending': 'pending',
          ':q': queueOf('pending', intent.target),
          ':now': now,
          ':null': null,
          ':stamp': stamp,
        },
      },
    }));
    try {
      if (updates.length === 0) await this.doc.send(new PutCommand(put.Put));
      else await this.doc.send(new TransactWriteCommand({ TransactItems: [put, ...updates] }));
      return true;
    } catch (err) {
      if (isConditionFailure(err)) return false;
      throw err;
    }
  }

  async markScan(mark: ScanMark): Promise<ScanClaim> {
    const scope = mark.scope !== undefined ? { ':scope': mark.scope } : {};
    try {
      await this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: assetKey(mark.assetId),
          UpdateExpression: `SET asset = :asset, scanKey = :key, scanId = :scanId, recordedAt = :now${mark.scope !== undefined ? ', #scope = :scope' : ''}`,
          // One conditional write decides: of two workers recording the same key at once, one is fresh.
          ConditionExpression: 'attribute_not_exists(pk) OR scanKey <> :key',
          ...(mark.scope !== undefined ? { ExpressionAttributeNames: { '#scope': 'scope' } } : {}),
          ExpressionAttributeValues: { ':asset': mark.assetId, ':key': mark.key, ':scanId': mark.scanId, ':now': mark.now, ...scope },
        }),
      );
      return { fresh: true };
    } catch (err) {
      if (!isConditionFailure(err)) throw err;
    }
    if (mark.scope !== undefined) {
      await this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: assetKey(mark.assetId),
          UpdateExpression: 'SET #scope = :scope',
          ConditionExpression: 'attribute_exists(pk)',
          ExpressionAttributeNames: { '#scope': 'scope' },
          ExpressionAttributeValues: { ':scope': mark.scope },
        }),
      ).catch((err: unknown) => {
        if (!isConditionFailure(err)) throw err; // forgotten meanwhile: nothing to place
      });
    }
    return { fresh: false };
  }

  async unmarkScan(assetId: string, key: string): Promise<void> {
    try {
      await this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: assetKey(assetId),
          UpdateExpression: 'SET scanKey = :none',
          ConditionExpression: 'scanKey = :key',
          ExpressionAttributeValues: { ':none': '', ':key': key },
        }),
      );
    } catch (err) {
      if (!isConditionFailure(err)) throw err;
    }
  }

  async getAsset(assetId: string): Promise<AssetMark | undefined> {
    const out = await this.doc.send(new GetCommand({ TableName: this.tableName, Key: assetKey(assetId), ConsistentRead: true }));
    if (!out.Item) return undefined;
    const item = AssetItem.safeParse(out.Item);
    if (!item.success) throw new StateStoreError(`asset item for ${assetId} is corrupt: ${item.error.message}`);
    return { assetId: item.data.asset, key: item.data.scanKey, scanId: item.data.scanId, scope: item.data.scope ?? null, recordedAt: item.data.recordedAt };
  }

  async listScopeAssets(scope: string): Promise<string[]> {
    const ids: string[] = [];
    const pages = paginateQuery(
      { client: this.doc },
      { TableName: this.tableName, IndexName: 'byScope', KeyConditionExpression: '#scope = :s', ExpressionAttributeNames: { '#scope': 'scope' }, ExpressionAttributeValues: { ':s': scope } },
    );
    for await (const page of pages) for (const item of page.Items ?? []) if (typeof item.asset === 'string') ids.push(item.asset);
    return ids.sort();
  }

  async forgetAsset(assetId: string, key: string): Promise<void> {
    try {
      await this.doc.send(
        new DeleteCommand({ TableName: this.tableName, Key: assetKey(assetId), ConditionExpression: 'scanKey = :key', ExpressionAttributeValues: { ':key': key } }),
      );
    } catch (err) {
      if (!isConditionFailure(err)) throw err;
    }
  }

  private async queryQueue(state: Intent['state'], target: string, dueBy: number | null, limit?: number): Promise<Item[]> {
    const items: Item[] = [];
    const pages = paginateQuery(
      { client: this.doc, ...(limit ? { pageSize: limit } : {}) },
      {
        TableName: this.tableName,
        IndexName: 'outbox',
        KeyConditionExpression: dueBy === null ? '#queue = :q' : '#queue = :q AND nextAttemptAt <= :due',
        ExpressionAttributeNames: { '#queue': 'queue' },
        ExpressionAttributeValues: dueBy === null ? { ':q': queueOf(state, target) } : { ':q': queueOf(state, target), ':due': dueBy },
      },
    );
    for await (const page of pages) {
      items.push(...(page.Items ?? []));
      if (limit && items.length >= limit) break;
    }
    return items;
  }

  async claimIntents(request: ClaimRequest): Promise<Intent[]> {
    const claimed: Intent[] = [];
    for (const target of request.targets) {
      const dueBy = request.dueBy ?? request.now;
      const candidates = await this.queryQueue('pending', target, Number.isFinite(dueBy) ? dueBy : null, request.limit * 2);
      for (const item of candidates) {
        if (claimed.length >= request.limit) break;
        if (typeof item.leaseUntil === 'number' && item.leaseUntil > request.now) continue;
        if (typeof item.notBefore === 'number' && item.notBefore > request.now) continue;
        try {
          const out = await this.doc.send(
            new UpdateCommand({
              TableName: this.tableName,
              Key: intentKey(String(item.fingerprint), target),
              UpdateExpression: 'SET leaseOwner = :owner, leaseUntil = :until',
              ConditionExpression:
                '#state = :pending AND nextAttemptAt <= :due AND (attribute_not_exists(notBefore) OR notBefore <= :now) AND (attribute_not_exists(leaseUntil) OR leaseUntil = :null OR leaseUntil <= :now)',
              ExpressionAttributeNames: { '#state': 'state' },
              ExpressionAttributeValues: {
                ':owner': request.owner,
                ':until': request.now + request.leaseMs,
                ':pending': 'pending',
                ':now': request.now,
                ':due': Number.isFinite(dueBy) ? dueBy : Number.MAX_SAFE_INTEGER,
                ':null': null,
              },
              ReturnValues: 'ALL_NEW',
            }),
          );
          if (out.Attributes) claimed.push(toIntent(out.Attributes));
        } catch (err) {
          if (!isConditionFailure(err)) throw err; // another drainer won this one
        }
      }
    }
    return claimed.sort((a, b) => a.nextAttemptAt - b.nextAttemptAt || a.id.localeCompare(b.id));
  }

  async completeIntent(intent: Intent, owner: string, ticketRef: string | null): Promise<void> {
    if (ticketRef !== null) {
      try {
        await this.doc.send(
          new UpdateCommand({
            TableName: this.tableName,
            Key: recordKey(intent.fingerprint),
            UpdateExpression: 'SET tickets.#t = :ref, version = version + :one',
            ConditionExpression: 'attribute_exists(pk)',
            ExpressionAttributeNames: { '#t': intent.target },
            ExpressionAttributeValues: { ':ref': ticketRef, ':one': 1 },
          }),
        );
      } catch (err) {
        if (!isConditionFailure(err)) throw err;
      }
    }
    try {
      await this.doc.send(
        new DeleteCommand({
          TableName: this.tableName,
          Key: intentKey(intent.fingerprint, intent.target),
          ConditionExpression: 'rev = :rev AND leaseOwner = :owner',
          ExpressionAttributeValues: { ':rev': intent.rev, ':owner': owner },
        }),
      );
    } catch (err) {
      if (!isConditionFailure(err)) throw err;
      await this.releaseLease(intent, owner);
    }
  }

  private async releaseLease(intent: Intent, owner: string): Promise<void> {
    try {
      await this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: intentKey(intent.fingerprint, intent.target),
          UpdateExpression: 'SET leaseOwner = :null, leaseUntil = :null',
          ConditionExpression: 'leaseOwner = :owner',
          ExpressionAttributeValues: { ':owner': owner, ':null': null },
        }),
      );
    } catch (err) {
      if (!isConditionFailure(err)) throw err;
    }
  }

  async failIntent(intent: Intent, request: FailRequest): Promise<void> {
    const state: Intent['state'] = request.park ? 'parked' : 'pending';
    try {
      await this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: intentKey(intent.fingerprint, intent.target),
          UpdateExpression:
            'SET attempts = :attempts, #state = :state, #queue = :q, nextAttemptAt = :retryAt, notBefore = :notBefore, lastError = :error, leaseOwner = :null, leaseUntil = :null, updatedAt = :stamp',
          ConditionExpression: 'rev = :rev AND leaseOwner = :owner',
          ExpressionAttributeNames: { '#state': 'state', '#queue': 'queue' },
          ExpressionAttributeValues: {
            ':attempts': intent.attempts + (request.countAttempt ? 1 : 0),
            ':state': state,
            ':q': queueOf(state, intent.target),
            ':retryAt': request.park ? request.now : request.retryAt,
            ':notBefore': request.park ? 0 : (request.notBefore ?? 0),
            ':error': request.error,
            ':null': null,
            ':stamp': new Date(request.now).toISOString(),
            ':rev': intent.rev,
            ':owner': request.owner,
          },
        }),
      );
    } catch (err) {
      if (!isConditionFailure(err)) throw err;
      await this.releaseLease(intent, request.owner); // rewritten meanwhile: the new rev starts fresh
    }
  }

  async nextDue(targets: readonly string[], now: number): Promise<number | null> {
    let due: number | null = null;
    for (const target of targets) {
      // The index is ordered by nextAttemptAt: the first intent nobody holds is the answer.
      const pages = paginateQuery(
        { client: this.doc, pageSize: 10 },
        { TableName: this.tableName, IndexName: 'outbox', KeyConditionExpression: '#queue = :q', ExpressionAttributeNames: { '#queue': 'queue' }, ExpressionAttributeValues: { ':q': queueOf('pending', target) } },
      );
      scan: for await (const page of pages) {
        for (const item of page.Items ?? []) {
          if (typeof item.leaseUntil === 'number' && item.leaseUntil > now) continue;
          const at = Number(item.nextAttemptAt);
          due = due === null ? at : Math.min(due, at);
          break scan;
        }
      }
    }
    return due;
  }

  async listIntents(filter: { state?: Intent['state']; targets?: readonly string[] } = {}): Promise<Intent[]> {
    const items: Item[] = [];
    const pages = paginateScan(
      { client: this.doc },
      { TableName: this.tableName, FilterExpression: 'begins_with(sk, :o)', ExpressionAttributeValues: { ':o': 'O#' }, ConsistentRead: true },
    );
    for await (const page of pages) items.push(...(page.Items ?? []));
    return items
      .map(toIntent)
      .filter((i) => (!filter.state || i.state === filter.state) && (!filter.targets || filter.targets.includes(i.target)))
      .sort((a, b) => a.id.localeCompare(b.id));
  }

  async countIntents(targets?: readonly string[]): Promise<OutboxCounts> {
    // A consistent scan, not the outbox index: an intent moving from pending to parked is briefly in
    // neither queue of an eventually consistent index, and a count that misses it would end a run "clean".
    const intents = await this.listIntents(targets ? { targets } : {});
    return { pending: intents.filter((i) => i.state === 'pending').length, parked: intents.filter((i) => i.state === 'parked').length };
  }

  async requeueParked(targets: readonly string[], now: number, filter?: RedriveFilter): Promise<number> {
    let moved = 0;
    for (const target of targets) {
      for (const item of await this.queryQueue('parked', target, filter ? filter.parkedBefore : null)) {
        try {
          await this.doc.send(
            new UpdateCommand({
              TableName: this.tableName,
              Key: intentKey(String(item.fingerprint), target),
              UpdateExpression:
                'SET #state = :pending, #queue = :q, attempts = :zero, nextAttemptAt = :now, notBefore = :zero, updatedAt = :stamp' +
                (filter ? ', redrives = if_not_exists(redrives, :zero) + :one' : ''),
              ConditionExpression: filter ? '#state = :parked AND (attribute_not_exists(redrives) OR redrives < :max)' : '#state = :parked',
              ExpressionAttributeNames: { '#state': 'state', '#queue': 'queue' },
              ExpressionAttributeValues: {
                ':pending': 'pending',
                ':parked': 'parked',
                ':q': queueOf('pending', target),
                ':zero': 0,
                ':now': now,
                ':stamp': new Date(now).toISOString(),
                ...(filter ? { ':one': 1, ':max': filter.maxRedrives } : {}),
              },
            }),
          );
          moved += 1;
        } catch (err) {
          if (!isConditionFailure(err)) throw err;
        }
      }
    }
    return moved;
  }

  async wakeIntents(targets: readonly string[], now: number): Promise<number> {
    let moved = 0;
    for (const target of targets) {
      for (const item of await this.queryQueue('pending', target, null)) {
        const notBefore = typeof item.notBefore === 'number' ? item.notBefore : 0;
        const at = Math.max(now, notBefore);
        if (Number(item.nextAttemptAt) <= at) continue;
        if (typeof item.leaseUntil === 'number' && item.leaseUntil > now) continue;
        try {
          await this.doc.send(
            new UpdateCommand({
              TableName: this.tableName,
              Key: intentKey(String(item.fingerprint), target),
              UpdateExpression: 'SET nextAttemptAt = :at',
              // Only the backoff we read: an intent rewritten or claimed meanwhile is left as it now is.
              ConditionExpression: '#state = :pending AND rev = :rev AND nextAttemptAt > :at AND (attribute_not_exists(leaseUntil) OR leaseUntil = :null OR leaseUntil <= :now)',
              ExpressionAttributeNames: { '#state': 'state' },
              ExpressionAttributeValues: { ':pending': 'pending', ':rev': item.rev, ':at': at, ':now': now, ':null': null },
            }),
          );
          moved += 1;
        } catch (err) {
          if (!isConditionFailure(err)) throw err;
        }
      }
    }
    return moved;
  }

  async leaseShared(request: SharedLeaseRequest): Promise<SharedLease> {
    try {
      const out = await this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: sharedKey(request.key),
          UpdateExpression: 'SET leaseOwner = :owner, leaseUntil = :until',
          ConditionExpression: 'attribute_not_exists(pk) OR attribute_not_exists(leaseUntil) OR leaseUntil = :null OR leaseUntil <= :now',
          ExpressionAttributeValues: { ':owner': request.owner, ':until': request.now + request.leaseMs, ':now': request.now, ':null': null },
          ReturnValues: 'ALL_NEW',
        }),
      );
      const value = out.Attributes?.value;
      return { held: true, value: typeof value === 'string' ? value : null };
    } catch (err) {
      if (!isConditionFailure(err)) throw err;
      const current = await this.doc.send(new GetCommand({ TableName: this.tableName, Key: sharedKey(request.key), ConsistentRead: true }));
      const until = current.Item?.leaseUntil;
      return { held: false, heldUntil: typeof until === 'number' ? until : request.now };
    }
  }

  async writeShared(request: SharedWrite): Promise<boolean> {
    const sets = [...(request.value !== undefined ? ['#value = :value'] : []), ...(request.release ? ['leaseOwner = :null', 'leaseUntil = :null'] : [])];
    if (sets.length === 0) sets.push('leaseOwner = :owner');
    try {
      await this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: sharedKey(request.key),
          UpdateExpression: `SET ${sets.join(', ')}`,
          ConditionExpression: 'leaseOwner = :owner',
          ...(request.value !== undefined ? { ExpressionAttributeNames: { '#value': 'value' } } : {}),
          ExpressionAttributeValues: {
            ':owner': request.owner,
            ...(request.value !== undefined ? { ':value': request.value } : {}),
            ...(request.release ? { ':null': null } : {}),
          },
        }),
      );
      return true;
    } catch (err) {
      if (isConditionFailure(err)) return false;
      throw err;
    }
  }

  async close(): Promise<void> {
    if (this.ownsClient) this.raw.destroy();
  }
}
