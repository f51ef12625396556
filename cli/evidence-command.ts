// `posture evidence`: export an audit bundle for a period from the scan history, and
// `posture evidence verify <dir>`: recompute every digest and chain link in a bundle.
import { existsSync } from 'node:fs';
import { type Command, InvalidArgumentError } from 'commander';
import { loadConfig } from '../core/config.ts';
import { defaultHistoryDir, SnapshotStore } from '../core/snapshots.ts';
import { defaultStateFile } from '../core/state/open.ts';
import { ExitCode } from './exit-codes.ts';
import type { Io } from './scan-command.ts';
import { UsageError } from './usage-error.ts';

/** YYYY-MM-DD (a whole UTC day) or an ISO timestamp; `end` moves a bare date to the day's last millisecond. */
export function parseDate(value: string, end: boolean): Date {
  const day = /^\d{4}-\d{2}-\d{2}$/.test(value);
  const t = Date.parse(day ? `${value}T00:00:00Z` : value);
  if (Number.isNaN(t) || !/^\d{4}-\d{2}-\d{2}/.test(value)) throw new InvalidArgumentError(`"${value}" is not a date (YYYY-MM-DD or an ISO 8601 timestamp)`);
  return new Date(day && end ? t + 86_400_000 - 1 : t);
}

interface EvidenceOptions {
  from?: Date;
  to?: Date;
  out?: string;
  historyDir?: string;
  state?: string;
  config?: string;
}

export function registerEvidence(program: Command, io: Io, setExit: (code: number) => void): void {
  const evidence = program
    .command('evidence')
    .description('write an audit evidence bundle (scan snapshots, findings with history and exceptions, scores, policy digests) for a period')
    .option('--from <date>', 'first day (YYYY-MM-DD, UTC) or timestamp of the period', (v) => parseDate(v, false))
    .option('--to <date>', 'last day (inclusive) or timestamp of the period', (v) => parseDate(v, true))
    .option('--out <dir>', 'new, empty directory for the bundle')
    .option('--history-dir <dir>', `scan history written by \`posture scan\` (default ${defaultHistoryDir})`)
    .option('--state <file>', `finding state database for lifecycle records (default ${defaultStateFile} when present)`)
    .option('-c, --config <file>', 'posture.yaml whose exceptions are included')
    .action(async (options: EvidenceOptions) => {
      // Checked here, not as commander required options, which would also bind `evidence verify`.
      const missing = (['from', 'to', 'out'] as const).filter((k) => options[k] === undefined);
      if (missing.length) throw new UsageError(`evidence needs ${missing.map((k) => `--${k}`).join(', ')} (e.g. posture evidence --from 2026-01-01 --to 2026-03-31 --out ./evidence-q1)`);
      const { from, to, out } = options as Required<Pick<EvidenceOptions, 'from' | 'to' | 'out'>>;
      const stateFile = options.state ?? (existsSync(defaultStateFile) ? defaultStateFile : undefined);
      if (options.state && !existsSync(options.state)) throw new UsageError(`state database ${options.state} does not exist`);
      const [{ verifyEvidence, writeEvidence }, { defaultFrameworks }, { SqliteStateStore }] = await Promise.all([
        import('../core/evidence.ts'),
        import('../core/frameworks.ts'),
        import('../core/state/sqlite.ts'),
      ]);
      const state = stateFile ? new SqliteStateStore(stateFile) : undefined;
      try {
        const manifest = await writeEvidence({
          store: new SnapshotStore(options.historyDir ?? defaultHistoryDir),
          from,
          to,
          out,
          frameworks: defaultFrameworks(),
          exceptions: loadConfig(options.config).exceptions,
          ...(state ? { records: (fp: string) => state.getRecord(fp) } : {}),
        });
        const verified = verifyEvidence(out);
        io.stdout(
          `evidence bundle written to ${out}: ${manifest.scans.length} scans (${manifest.scans[0]!.seq}..${manifest.head.seq}), ${manifest.files.length + manifest.scans.length} files\n` +
            `head chain ${manifest.head.chain}\nmanifest sha256 ${verified.manifestSha256}\n(record both with the audit; \`posture evidence verify ${options.out}\` checks the bundle)\n`,
        );
      } finally {
        await state?.close();
      }
    });

  evidence
    .command('verify')
    .description('check that no file in an evidence bundle changed since it was written')
    .argument('<dir>', 'bundle directory')
    .option('--history-dir <dir>', 'also compare the bundle head with this scan history')
    .action(async (dir: string, options: { historyDir?: string }) => {
      const { verifyEvidence } = await import('../core/evidence.ts');
      // commander hands `--history-dir` to the parent command when both declare it.
      const historyDir = options.historyDir ?? (evidence.opts() as { historyDir?: string }).historyDir;
      const result = verifyEvidence(dir, historyDir ? new SnapshotStore(historyDir) : undefined);
      if (result.ok) {
        io.stdout(`ok: ${dir} verifies (${result.manifest!.scans.length} scans, head ${result.manifest!.head.chain}, manifest sha256 ${result.manifestSha256})\n`);
        setExit(ExitCode.ok);
      } else {
        io.stderr(`evidence bundle ${dir} FAILED verification:\n${result.problems.map((p) => `  ${p}`).join('\n')}\n`);
        setExit(ExitCode.findings);
      }
    });
}
