// The `posture` command line. Parsing is commander's job; each command lives in its own module.
// Start-up matters (`posture --help` is run often): this module and the command registrations import
// only what declares options; each command loads its implementation (engine, collectors, cloud SDKs,
// renderers, state stores) when it runs. scripts/bench/startup.ts measures it.
import { Command, InvalidArgumentError, Option } from 'commander';
import { ExitCode } from './exit-codes.ts';
import type { Io, ScanCommandOptions } from './scan-command.ts';
import { formats } from '../report/formats.ts';
import { Severity } from '../policies/catalog.ts';
import { wantsCloud } from './cloud-scan.ts';
import { allProviders } from '../providers/registry.ts';
import { maxWaitSeconds, registerPublish } from './publish-command.ts';
import { registerEvidence } from './evidence-command.ts';
import { registerDiff } from './diff-command.ts';
import { registerDb } from './db-command.ts';
import { safeText } from './safe-text.ts';
import { UsageError } from './usage-error.ts';
import { registerExport } from './export-command.ts';

const processIo: Io = {
  stdout: (t) => process.stdout.write(t),
  stderr: (t) => process.stderr.write(t),
  isTty: Boolean(process.stdout.isTTY) && !process.env.NO_COLOR,
};

/** `--regions a,b` and `--regions a b` (and both mixed) give the same list, as the AWS CLI's users expect. */
function commaList(value: string, previous: unknown): string[] {
  return [...(Array.isArray(previous) ? (previous as string[]) : []), ...value.split(',').map((v) => v.trim()).filter(Boolean)];
}

function severity(value: string): Severity {
  const parsed = Severity.safeParse(value.toLowerCase());
  if (!parsed.success) throw new InvalidArgumentError(`expected one of ${Severity.options.join(', ')}`);
  return parsed.data;
}

export async function main(argv: string[], io: Io = processIo): Promise<number> {
  let exitCode: number = ExitCode.ok;
  const program = new Command()
    .name('posture')
    .description('Container posture scanner: cloud configs and images against CIS, NIST, PCI, STIG, OWASP and residency baselines')
    .exitOverride()
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr });

  const scan = program
    .command('scan')
    .description('scan local exports (AWS/Azure/GCP JSON, image layouts and tarballs; directories are walked) and oci://host/repo:tag images')
    .argument('[paths...]', 'files or directories to scan')
    .addOption(new Option('-f, --format <format>', 'report format').choices(formats).default('table'))
    .option('-o, --output <file>', 'write the report to a file instead of stdout')
    .option('--fail-on <severity>', 'exit 1 when a finding is at or above this severity (info|low|medium|high|critical)', severity)
    .option('-c, --config <file>', 'posture.yaml with residency classes, trusted registries, thresholds')
    .option('--framework <id>', 'only rules that evidence this framework (e.g. cis-eks-1.8, pci-dss-4.0)')
    .option('--platform <os/arch>', 'image platform to pick from a multi-platform index', 'linux/amd64')
    .option('--all-platforms', 'scan every platform of a multi-platform image')
    .option('--insecure-registry <host...>', 'registry hosts to reach over plain HTTP (local registries only)')
    .option('--history-dir <dir>', 'where scan snapshots are kept for `posture diff` and `posture evidence`', '.posture/history')
    .option('--no-history', 'do not record this scan in the history')
    .option('--state <file|dynamodb://TABLE>', 'record findings in this SQLite file or DynamoDB table (default .posture/state.db when publishing)')
    .option('--publish', 'record findings and deliver ticket changes to the configured publishers')
    .option('--dry-run', 'with --publish: show what would be created, updated and resolved; change nothing')
    .option('--vex <file>', 'OpenVEX or CycloneDX VEX document (repeatable): not_affected / fixed statements suppress those vulnerabilities', (v: string, prev: string[]) => [...prev, v], [] as string[])
    .option('--vulndb <file>', 'OSV vulnerability database (default: vulnerabilities.db in the config, POSTURE_VULNDB, ~/.cache/posture/vulndb.sqlite)')
    .option('--max-wait <seconds>', 'with --publish: how long to keep retrying while no delivery succeeds (default 120)', maxWaitSeconds)
    .action(async (paths: string[], options: ScanCommandOptions) => {
      if (paths.length === 0 && !wantsCloud(options)) {
        throw new UsageError(`nothing to scan: give a path, an oci:// image, or ${allProviders().map((p) => p.cli.options[0]?.flags.split(' ')[0]).join(' / ')}`);
      }
      const { runScan } = await import('./scan-command.ts');
      exitCode = await runScan(paths, options, io);
    });
  // Each provider declares its own options (--aws --regions --accounts, --azure, --gcp, …); a list also takes commas.
  for (const provider of allProviders()) {
    for (const option of provider.cli.options) {
      if (/[<[][^>\]]+\.\.\.[>\]]/.test(option.flags)) scan.option(option.flags, `${option.description} (space- or comma-separated)`, commaList);
      else scan.option(option.flags, option.description);
    }
  }

  registerEvidence(program, io, (code) => (exitCode = code));
  registerDiff(program, io);
  registerDb(program, io, (code) => (exitCode = code));
  registerPublish(program, io, (code) => (exitCode = code));
  registerExport(program, io, (code) => (exitCode = code));

  try {
    await program.parseAsync(argv, { from: 'user' });
  } catch (err) {
    const e = err as Error & { code?: string; exitCode?: number };
    if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version') return ExitCode.ok;
    if (e.code?.startsWith('commander.')) return ExitCode.usage;
    // Config errors, usage errors found after parsing, and anything that stopped a command before it ran.
    io.stderr(`posture: ${safeText(e.message)}\n`);
    return ExitCode.usage;
  }
  return exitCode;
}
