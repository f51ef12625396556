// Finding state and ticket publishing from the CLI: `posture scan … --publish [--dry-run]` records the
// scan and drains the outbox; `posture publish` drains what earlier scans left (e.g. after an outage).
import type { Command } from 'commander';
import { loadConfig, type Config } from '../core/config.ts';
import { ExceptionSet } from '../core/exceptions.ts';
import type { ScanResult } from '../core/scan.ts';
import { openStateStore, defaultStateFile } from '../core/state/open.ts';
import type { StateStore } from '../core/state/store.ts';
import { recordScanResult, type RecordOutcome } from '../core/record-result.ts';
import { publishTargets } from '../publishers/config.ts';
import { drainOutbox, type DrainSummary } from '../publishers/drain.ts';
import { publishersFromConfig } from '../publishers/from-config.ts';
import { ExitCode } from './exit-codes.ts';
import type { Io } from './scan-command.ts';

export interface StateFlags {
  /** SQLite file holding finding state and the outbox. */
  state?: string;
  publish?: boolean;
  dryRun?: boolean;
  retryParked?: boolean;
}

/** Scans are recorded when there is somewhere to publish, or when asked to. */
export function wantsState(flags: StateFlags, config: Config): boolean {
  return Boolean(flags.publish || flags.state || publishTargets(config.publish).length > 0);
}

async function withStore<T>(flags: StateFlags, work: (store: StateStore) => Promise<T>): Promise<T> {
  const store = await openStateStore({ kind: 'sqlite', file: flags.state ?? defaultStateFile });
  try {
    return await work(store);
  } finally {
    await store.close();
  }
}

async function drain(store: StateStore, config: Config, flags: StateFlags): Promise<DrainSummary> {
  const publishers = await publishersFromConfig(config, process.env);
  if (publishers.length === 0) throw new Error('no publisher is configured: add publish.jira, publish.servicenow, publish.webhook or publish.securityhub to the config');
  return drainOutbox(store, publishers, { dryRun: Boolean(flags.dryRun), retryParked: Boolean(flags.retryParked) });
}

export function describeDrain(summary: DrainSummary): string {
  const verb = summary.dryRun ? 'would be' : 'were';
  const lines = [
    `tickets ${verb}: ${summary.created} created, ${summary.updated} updated, ${summary.resolved} resolved, ${summary.reopened} reopened` +
      (summary.dryRun ? '' : `; ${summary.retried} retried, ${summary.parked} parked`),
    `outbox: ${summary.outbox.pending} pending, ${summary.outbox.parked} parked`,
  ];
  if (summary.dryRun) {
    for (const p of summary.planned) lines.push(`  ${p.publisher}: ${p.expected} ${p.ruleId} ${p.assetId}${p.ticket ? ` (${p.ticket})` : ''}${p.parked ? ' [parked]' : ''}`);
  }
  return `${lines.join('\n')}\n`;
}

/** Records every scanned asset (transitions + intents in one write each), then publishes if asked. */
export async function recordAndPublish(result: ScanResult, config: Config, flags: StateFlags, io: Io): Promise<{ recorded: RecordOutcome; drained?: DrainSummary }> {
  return withStore(flags, async (store) => {
    const recorded = await recordScanResult(store, result, result.bundleDigest, {
      targets: publishTargets(config.publish),
      exceptions: new ExceptionSet(config.exceptions, new Date()),
      modes: config.modes,
    });
    io.stderr(`state: ${recorded.recorded} assets recorded (${recorded.duplicates} unchanged since their last scan), ${recorded.transitions} finding changes, ${recorded.intents} to publish\n`);
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
    .option('--state <file>', 'SQLite file holding finding state and the outbox', defaultStateFile)
    .option('--dry-run', 'show what would be created, updated and resolved; change nothing')
    .option('--retry-parked', 'move parked deliveries back to pending first (after an outage)')
    .action(async (options: StateFlags & { config?: string }) => {
      const config = loadConfig(options.config);
      const summary = await withStore(options, (store) => drain(store, config, options));
      io.stdout(describeDrain(summary));
      setExit(summary.outbox.parked > 0 && !summary.dryRun ? ExitCode.inputErrors : ExitCode.ok);
    });
}
