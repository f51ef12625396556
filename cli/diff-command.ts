// `posture diff`: what changed in each asset's configuration between two recorded scans, and
// which findings opened or closed.
import type { Command } from 'commander';
import { Option } from 'commander';
import { diffStreams, renderDriftText } from '../core/drift.ts';
import { defaultHistoryDir, SnapshotStore } from '../core/snapshots.ts';
import type { Io } from './scan-command.ts';

export function registerDiff(program: Command, io: Io): void {
  program
    .command('diff')
    .description('show configuration drift and opened/closed findings between two recorded scans (default: the last two)')
    .option('--from <scan>', 'earlier scan: sequence number, scan id, or "previous"', 'previous')
    .option('--to <scan>', 'later scan: sequence number, scan id, or "latest"', 'latest')
    .option('--history-dir <dir>', 'scan history written by `posture scan`', defaultHistoryDir)
    .addOption(new Option('-f, --format <format>', 'output format').choices(['text', 'json']).default('text'))
    .action((options: { from: string; to: string; historyDir: string; format: 'text' | 'json' }) => {
      const store = new SnapshotStore(options.historyDir);
      // The text shows only assets with something to say; JSON lists every asset.
      const drift = diffStreams(store.open(store.find(options.from)), store.open(store.find(options.to)), options.format === 'json' ? 'all' : 'notable');
      io.stdout(`${options.format === 'json' ? JSON.stringify(drift, null, 2) : renderDriftText(drift)}\n`);
    });
}
