// Opens the configured state store: SQLite file for the CLI, DynamoDB table in AWS.
import type { DynamoDBClientConfig } from '@aws-sdk/client-dynamodb';
import { DynamoStateStore } from './dynamodb.ts';
import { SqliteStateStore } from './sqlite.ts';
import type { StateStore } from './store.ts';

export const defaultStateFile = '.posture/state.db';

export type StateStoreOptions =
  | { kind?: 'sqlite'; file?: string }
  | { kind: 'dynamodb'; tableName: string; clientConfig?: DynamoDBClientConfig; createTable?: boolean };

export async function openStateStore(options: StateStoreOptions = {}): Promise<StateStore> {
  if (options.kind === 'dynamodb') {
    const store = new DynamoStateStore({ tableName: options.tableName, clientConfig: options.clientConfig ?? {} });
    if (options.createTable) await store.ensureTable();
    return store;
  }
  return new SqliteStateStore(options.file ?? defaultStateFile);
}
