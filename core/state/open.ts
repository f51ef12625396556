// Opens the configured state store: SQLite file for the CLI, DynamoDB table in AWS. Each store is loaded
// when opened, so a CLI that never records state does not load SQLite or the DynamoDB client.
import type { DynamoDBClientConfig } from '@aws-sdk/client-dynamodb';
import type { StateStore } from './store.ts';

export const defaultStateFile = '.posture/state.db';

export type StateStoreOptions =
  | { kind?: 'sqlite'; file?: string }
  | { kind: 'dynamodb'; tableName: string; clientConfig?: DynamoDBClientConfig; createTable?: boolean };

export async function openStateStore(options: StateStoreOptions = {}): Promise<StateStore> {
  if (options.kind === 'dynamodb') {
    const { DynamoStateStore } = await import('./dynamodb.ts');
    const store = new DynamoStateStore({ tableName: options.tableName, clientConfig: options.clientConfig ?? {} });
    if (options.createTable) await store.ensureTable();
    return store;
  }
  const { SqliteStateStore } = await import('./sqlite.ts');
  return new SqliteStateStore(options.file ?? defaultStateFile);
}
