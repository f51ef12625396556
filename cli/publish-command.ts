// Finding state and ticket publishing from the CLI: `posture scan … --publish [--dry-run]` records the
// scan and drains the outbox; `posture publish` drains what earlier scans left (e.g. after an outage).
// The state is a SQLite file, or the deployed stack's DynamoDB table (`--state dynamodb://TABLE`, reached
// with the AWS SDK's default credential chain), so an operator can re-drive the stack's outbox from here.
import { type Command, InvalidArgumentError } from 'commander';
import { loadConfig, type Config } from '../core/config.ts';
import { ExceptionSet } from '../core/exceptions.ts';
import type { ScanResult } from '../core/scan.ts';
import { openStateStore, defaultStateFile, type StateStoreOptions } from '../core/state/open.ts';
import type { StateStore } from '../core/state/store.ts';
import type { RecordOutcome } from '../core/record-result.ts';
import { publishTargets } from '../publishers/config.ts';
import type { DrainSummary } from '../publishers/drain.ts';
import { ExitCode } from './exit-codes.ts';
import type { Io } from './scan-command.ts';

export interface StateFlags {
  /** SQLite file, or dynamodb://TABLE, holding finding state and the outbox. */
  state?: string;
  publish?: boolean;
  dryRun?: boolean;
  now?: boolean;
  retryParked?: boolean;
  /** Seconds a publishing run waits for retries without any delivery succeeding. */
  maxWait?: number;
}

/** Scans are recorded when there is somewhere to publish, or when asked to. */
export function wantsState(flags: StateFlags, config: Config): boolean {
  return Boolean(flags.publish || flags.state || publishTargets(config.publish).length > 0);
}

const dynamoTable = /^dynamodb:\/\/([A-Za-z0-9_.-]{3,255})$/;

/** `--state`: a SQLite file path, or `dynamodb://TABLE` (an existing table, e.g. the stack's FindingState). */
export function stateLocation(value: string | undefined): StateStoreOptions {
  const location = value ?? defaultStateFile;
  if (location.startsWith('dynamodb:')) {
    const table = dynamoTable.exec(location)?.[1];
    if (!table) throw new Error(`--state ${location}: expected dynamodb://TABLE with a DynamoDB table name (3-255 of A-Z a-z 0-9 _ . -)`);
    return { kind: 'dynamodb', tableName: table };
  }
  return { kind: 'sqlite', file: location };
}

async function withStore<T>(flags: StateFlags, work: (store: StateStore) => Promise<T>): Promise<T> {
  const store = await openStateStore(stateLocation(flags.state));
  try {
    return await work(store);
  } finally {
    await store.close();
  }
}

export function maxWaitSeconds(value: string): number {
  const seconds = Number(value);
  if (!Number.isFinite(seconds) || seconds < 0) throw new InvalidArgumentError('expected a number of seconds, 0 or more');
  return seconds;
}

async function drain(store: StateStore, config: Config, flags: StateFlags): Promise<DrainSummary> {
  // Loaded here: the publishers bring the Security Hub and Secrets Manager clients.
  const [{ publishersFromConfig }, { drainOutbox }] = await Promise.all([import('../publishers/from-config.ts'), import('../publishers/drain.ts')]);
  const publishers = await publishersFromConfig(config, process.env);
  if (publishers.length === 0) throw new Error('no publisher is configured: add publish.jira, publish.servicenow, publish.webhook or publish.securityhub to the config');
  return drainOutbox(store, publishers, {
    dryRun: Boolean(flags.dryRun),
    now: Boolean(flags.now || flags.retryParked),
    ...(flags.maxWait !== undefined ? { maxWaitMs: flags.maxWait * 1000 } : {}),
  });
}

/** True when a real (not dry) run left deliveries in the outbox. */
export function leftUndelivered(summary: DrainSummary | undefined): boolean {
  return summary !== undefined && !summary.dryRun && summary.outbox.pending + summary.outbox.parked > 0;
}

export function describeDrain(summary: DrainSummary): string {
  const verb = summary.dryRun ? 'would be' : 'were';
  const lines = [
    `tickets ${verb}: ${summary.created} created, ${summary.updated} updated, ${summary.resolved} resolved, ${summary.reopened} reopened` +
      (summary.dryRun ? '' : `; ${summary.retried} retried, ${summary.parked} parked`),
    `outbox: ${summary.outbox.pending} pending, ${summary.outbox.parked} parked`,
  ];
  if (leftUndelivered(summary)) {
    lines.push(`not everything was delivered (exit code ${ExitCode.undelivered}): nothing is lost; \`posture publish --now\` retries pending and parked deliveries at once`);
  }
  if (summary.dryRun) {
    for (const p of summary.planned) lines.push(`  ${p.publisher}: ${p.expected} ${p.ruleId} ${p.assetId}${p.ticket ? ` (${p.ticket})` : ''}${p.parked ? ' [parked]' : ''}`);
  }
  return `${lines.join('\n')}\n`;
}

function describeRecorded(recorded: RecordOutcome): string {
  const lines = [
    `state: ${recorded.recorded} assets recorded (${recorded.duplicates} unchanged since their last scan), ${recorded.transitions} finding changes, ${recorded.intents} to publish`,
  ];
  if (recorded.removedAssets > 0) lines.push(`state: ${recorded.removedAssets} assets no longer present; ${recorded.removedFindings} of their findings resolved`);
  if (recorded.scopes.incomplete > 0) {
    lines.push(`state: ${recorded.scopes.incomplete} scopes collected with errors: assets missing from them are not resolved`);
  }
  return `${lines.join('\n')}\n`;
}

/** Records every scanned asset (transitions + intents in one write each), then publishes if asked. */
export async function recordAndPublish(result: ScanResult, config: Config, flags: StateFlags, io: Io): Promise<{ recorded: RecordOutcome; drained?: DrainSummary }> {
  const { recordScanResult } = await import('../core/record-result.ts');
  return withStore(flags, async (store) => {
    const recorded = await recordScanResult(store, result, result.bundleDigest, {
      targets: publishTargets(config.publish),
      exceptions: new ExceptionSet(config.exceptions, new Date()),
      modes: config.modes,
    });
    io.stderr(describeRecorded(recorded));
    if (!flags.publish) return { recorded };
    const drained = await drain(store, config, flags);
    io.stderr(describeDrain(drained));
    return { recorded, drained };
  });
}

export function registerPublish(program: Command, io: Io, setExit: (code: number) => void): void {
  program
    .command('publish')
    .description('deliver pending ticket changes (Jira, ServiceNow, GRC webhook, Security Hub) from the finding state')
    .option('-c, --config <file>', 'posture.yaml with the publish section')
    .option('--state <file|dynamodb://TABLE>', 'finding state and outbox: a SQLite file, or a DynamoDB table (AWS SDK default credentials)', defaultStateFile)
    .option('--dry-run', 'show what would be created, updated and resolved; change nothing')
    .option('--now', 'retry pending and parked deliveries at once, without waiting out their backoff (after an outage)')
    .option('--retry-parked', 'the same as --now')
    .option('--max-wait <seconds>', 'how long to keep retrying while no delivery succeeds (default 120)', maxWaitSeconds)
    .action(async (options: StateFlags & { config?: string }) => {
      const config = loadConfig(options.config);
      const summary = await withStore(options, (store) => drain(store, config, options));
      io.stdout(describeDrain(summary));
      setExit(leftUndelivered(summary) ? ExitCode.undelivered : ExitCode.ok);
    });
}
