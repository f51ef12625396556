// The idempotency ledger: one DynamoDB item per piece of work, claimed with a conditional write before
// the work starts and marked done after it is recorded. A redelivered message finds `done` and stops;
// a concurrent duplicate finds a live claim and is retried later; a crashed worker's claim expires.
import {
  ConditionalCheckFailedException,
  DeleteItemCommand,
  GetItemCommand,
  PutItemCommand,
  UpdateItemCommand,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';

export type ClaimOutcome = 'claimed' | 'done' | 'busy';

export interface IdempotencyLedger {
  claim(key: string, owner: string): Promise<ClaimOutcome>;
  complete(key: string, owner: string): Promise<void>;
  /** Gives a claim back after a failure so the retry can take it. */
  release(key: string, owner: string): Promise<void>;
}

export interface LedgerOptions {
  /** How long a claim protects work in progress; longer than the worker's timeout. */
  leaseSeconds: number;
  /** How long a finished key is remembered (DynamoDB TTL attribute `expiresAt`); longer than queue retention. */
  retainSeconds: number;
  now?: () => number;
}

export class DynamoLedger implements IdempotencyLedger {
  private readonly now: () => number;

  constructor(
    private readonly db: DynamoDBClient,
    private readonly table: string,
    private readonly options: LedgerOptions,
  ) {
    this.now = options.now ?? (() => Date.now());
  }

  async claim(key: string, owner: string): Promise<ClaimOutcome> {
    const nowSec = Math.floor(this.now() / 1000);
    try {
      await this.db.send(
        new PutItemCommand({
          TableName: this.table,
          Item: {
            pk: { S: key },
            state: { S: 'inflight' },
            owner: { S: owner },
            leaseUntil: { N: String(nowSec + this.options.leaseSeconds) },
            expiresAt: { N: String(nowSec + this.options.retainSeconds) },
          },
          // Free, or claimed by a worker whose lease ran out (it crashed or timed out).
          ConditionExpression: 'attribute_not_exists(pk) OR (#state = :inflight AND leaseUntil < :now)',
          ExpressionAttributeNames: { '#state': 'state' },
          ExpressionAttributeValues: { ':inflight': { S: 'inflight' }, ':now': { N: String(nowSec) } },
        }),
      );
      return 'claimed';
    } catch (err) {
      if (!(err instanceof ConditionalCheckFailedException)) throw err;
    }
    const current = await this.db.send(new GetItemCommand({ TableName: this.table, Key: { pk: { S: key } }, ConsistentRead: true }));
    return current.Item?.state?.S === 'done' ? 'done' : 'busy';
  }

  async complete(key: string, owner: string): Promise<void> {
    await this.db.send(
      new UpdateItemCommand({
        TableName: this.table,
        Key: { pk: { S: key } },
        UpdateExpression: 'SET #state = :done, finishedAt = :at',
        ConditionExpression: '#owner = :owner',
        ExpressionAttributeNames: { '#state': 'state', '#owner': 'owner' },
        ExpressionAttributeValues: { ':done': { S: 'done' }, ':owner': { S: owner }, ':at': { S: new Date(this.now()).toISOString() } },
      }),
    );
  }

  async release(key: string, owner: string): Promise<void> {
    try {
      await this.db.send(
        new DeleteItemCommand({
          TableName: this.table,
          Key: { pk: { S: key } },
          ConditionExpression: '#owner = :owner AND #state = :inflight',
          ExpressionAttributeNames: { '#owner': 'owner', '#state': 'state' },
          ExpressionAttributeValues: { ':owner': { S: owner }, ':inflight': { S: 'inflight' } },
        }),
      );
    } catch (err) {
      // Someone else took over an expired lease: theirs to finish, nothing to release.
      if (!(err instanceof ConditionalCheckFailedException)) throw err;
    }
  }
}
