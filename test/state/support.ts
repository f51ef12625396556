// Builders shared by the state and publisher tests: findings as the engine would emit them, and
// both store backends behind one factory so every test runs against SQLite and DynamoDB-on-moto.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { evidenceHashOf, fingerprintOf, type Finding } from '../../core/finding.ts';
import type { ScanObservation } from '../../core/lifecycle.ts';
import { DynamoStateStore } from '../../core/state/dynamodb.ts';
import { SqliteStateStore } from '../../core/state/sqlite.ts';
import type { StateStore } from '../../core/state/store.ts';
import { type MotoServer, startMoto } from '../standins/moto.ts';

export const asset = {
  id: 'aws://123456789012/eu-west-1/eks/cluster/prod',
  account: '123456789012',
  region: 'eu-west-1',
  tags: { team: 'payments', env: 'prod' },
};

export function finding(ruleId: string, place: string, evidence: unknown = { value: place }, assetId = asset.id): Finding {
  return {
    fingerprint: fingerprintOf(assetId, ruleId, place),
    ruleId,
    title: `${ruleId} title`,
    severity: 'high',
    frameworks: { 'cis-eks-1.8': ['5.4.1'], 'nist-800-53-r5': ['SC-7'] },
    unverified: [],
    remediation: `Fix ${place}`,
    message: `${place} is wrong`,
    path: place,
    evidence,
    evidenceHash: evidenceHashOf(evidence),
    assetId,
    assetKind: 'cluster',
    provider: 'aws',
    account: asset.account,
    region: asset.region,
  };
}

let scanCounter = 0;
/** A scan of `asset`; content hash defaults to one per call (a changed asset). */
export function scan(findings: Finding[], overrides: Partial<ScanObservation> = {}): ScanObservation {
  scanCounter += 1;
  return {
    asset,
    assetId: asset.id,
    scanId: `scan-${scanCounter}`,
    contentHash: `sha256:content-${scanCounter}`,
    policyBundleDigest: 'bundle-1',
    findings,
    ...overrides,
  };
}

export interface Backend {
  name: 'sqlite' | 'dynamodb';
  open(): Promise<StateStore>;
  /** A second connection to the same state (another process / another Lambda). */
  openAnother(store: StateStore): Promise<StateStore>;
  teardown(): Promise<void>;
}

export function sqliteBackend(): Backend {
  const dir = mkdtempSync(path.join(tmpdir(), 'posture-state-'));
  let n = 0;
  return {
    name: 'sqlite',
    open: async () => new SqliteStateStore(path.join(dir, `state-${++n}.db`)),
    openAnother: async (store) => new SqliteStateStore((store as SqliteStateStore).file),
    teardown: async () => rmSync(dir, { recursive: true, force: true }),
  };
}

export function dynamoBackend(): Backend {
  let moto: MotoServer | undefined;
  let n = 0;
  return {
    name: 'dynamodb',
    open: async () => {
      moto ??= await startMoto();
      const store = new DynamoStateStore({ tableName: `posture-state-${++n}`, clientConfig: moto.clientConfig });
      await store.ensureTable();
      return store;
    },
    openAnother: async (store) => new DynamoStateStore({ tableName: (store as DynamoStateStore).tableName, clientConfig: moto!.clientConfig }),
    teardown: async () => {
      await moto?.stop();
    },
  };
}
