// `posture db update` and `posture db status`: the local OSV vulnerability database.
import type { Command } from 'commander';
import { loadConfig } from '../core/config.ts';
import type { SourceSpec, SyncProgress } from '../vulns/db/sync.ts';
import { ExitCode } from './exit-codes.ts';
import type { Io } from './scan-command.ts';

interface DbFlags {
  config?: string;
  db?: string;
  source?: string[];
  ecosystem?: string[];
  baseUrl?: string;
  offline?: boolean;
}

const mb = (n: number) => `${(n / 1024 / 1024).toFixed(1)} MB`;

function ageOf(iso: string, now: Date): string {
  const hours = (now.getTime() - Date.parse(iso)) / 3_600_000;
  if (hours < 1) return `${Math.max(0, Math.round(hours * 60))} min`;
  if (hours < 48) return `${Math.round(hours)} h`;
  return `${Math.round(hours / 24)} days`;
}

export function registerDb(program: Command, io: Io, setExit: (code: number) => void): void {
  const db = program.command('db').description('the local OSV vulnerability database (ecosystem archives or local mirrors)');
  db.command('update')
    .description('sync the OSV archives of the configured ecosystems (conditional requests) and any local directories or zips')
    .option('-c, --config <file>', 'posture.yaml with the vulnerabilities section')
    .option('--db <file>', 'database file (default: vulnerabilities.db, POSTURE_VULNDB, or ~/.cache/posture/vulndb.sqlite)')
    .option('--source <path...>', 'local directory or zip of OSV records (air-gapped mirror, Go vulndb data/osv)')
    .option('--ecosystem <name...>', 'OSV ecosystems to fetch (default: the config list)')
    .option('--base-url <url>', 'base URL of the OSV archives (<url>/<ecosystem>/all.zip)')
    .option('--offline', 'only the local sources; fetch nothing')
    .action(async (flags: DbFlags) => {
      const [{ VulnStore }, { sourceName, syncAll }, { vulnDbPath }] = await Promise.all([import('../vulns/db/store.ts'), import('../vulns/db/sync.ts'), import('../vulns/enrich.ts')]);
      const config = loadConfig(flags.config).vulnerabilities;
      const file = flags.db ?? vulnDbPath(config);
      const paths = [...config.paths, ...(flags.source ?? [])];
      // Naming local sources on the command line means "these", unless ecosystems are named too.
      const fetchArchives = !flags.offline && (flags.ecosystem?.length || !flags.source?.length);
      const ecosystems = fetchArchives ? (flags.ecosystem ?? config.ecosystems) : [];
      const specs: SourceSpec[] = [
        ...ecosystems.map((ecosystem): SourceSpec => ({ kind: 'osv', ecosystem, baseUrl: flags.baseUrl ?? config.osvBaseUrl })),
        ...paths.map((p): SourceSpec => ({ kind: 'path', path: p })),
      ];
      const store = VulnStore.open(file, { create: true });
      try {
        const progress = (p: SyncProgress) =>
          io.stderr(p.phase === 'download' ? `  ${p.source}: ${mb(p.received)}${p.total ? ` of ${mb(p.total)}` : ''}\n` : `  ${p.source}: ${p.records} records read\n`);
        io.stderr(`updating ${file} from ${specs.map(sourceName).join(', ')}\n`);
        const outcomes = await syncAll(store, specs, { progress });
        for (const o of outcomes) {
          if (o.status === 'failed') io.stdout(`${o.source}: FAILED, previous data kept: ${o.error}\n`);
          else if (o.status === 'not-modified') io.stdout(`${o.source}: not modified (${o.records} records)\n`);
          else io.stdout(`${o.source}: ${o.records} records, ${o.entries} package entries (${o.withdrawn} withdrawn skipped, ${o.rejected} unreadable)\n`);
          for (const r of o.rejects ?? []) io.stderr(`  unreadable: ${r}\n`);
        }
        setExit(outcomes.some((o) => o.status === 'failed') ? ExitCode.inputErrors : ExitCode.ok);
      } finally {
        store.close();
      }
    });
  db.command('status')
    .description('age and counts of the local vulnerability database')
    .option('-c, --config <file>', 'posture.yaml with the vulnerabilities section')
    .option('--db <file>', 'database file')
    .action(async (flags: DbFlags) => {
      const [{ VulnStore }, { vulnDbPath }] = await Promise.all([import('../vulns/db/store.ts'), import('../vulns/enrich.ts')]);
      const file = flags.db ?? vulnDbPath(loadConfig(flags.config).vulnerabilities);
      const store = VulnStore.open(file, { readonly: true });
      try {
        const now = new Date();
        io.stdout(`database: ${file}\n`);
        for (const s of store.sources()) {
          io.stdout(`  ${s.name}: ${s.records} records, fetched ${s.fetchedAt} (${ageOf(s.fetchedAt, now)} ago), checked ${ageOf(s.checkedAt, now)} ago, ${s.withdrawn} withdrawn, ${s.rejected} unreadable\n`);
        }
        for (const c of store.counts()) io.stdout(`  ${c.ecosystem}: ${c.packages} packages, ${c.entries} affected entries\n`);
        if (store.sources().length === 0) {
          io.stdout('  empty: run `posture db update`\n');
          setExit(ExitCode.inputErrors);
        }
      } finally {
        store.close();
      }
    });
}
