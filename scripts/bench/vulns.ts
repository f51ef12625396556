// Benchmark and peer comparison: posture (the CLI a user runs) against osv-scanner v2 on the same image
// and the same OSV data, offline.
//   npm run bench:vulns
// The image is the vulnerability bench image (scripts/bench/vulns-image.ts: Debian bookworm with several
// hundred dpkg packages, a node_modules tree, a Python site-packages and a Go binary). The OSV data is
// what this machine has for real: the Go vulnerability database (golang.org/x/vulndb, from the Go module
// proxy) plus the advisory records in test/vulns/osv and samples/osv, and constructed Debian probe records
// (scripts/bench/vulns-debian-probes.ts), zipped per ecosystem in the public bucket's layout. posture
// imports the same zips (`posture db update --source`); osv-scanner reads them as its offline database
// (see osvScannerOffline below). Both scan a docker-save tarball of the image. Prints packages, matches,
// wall time, peak RSS and database load time for each, the ratio, the packages one tool inventoried and
// the other did not (with where each was found), the Debian probe verdicts, and both sets of matches
// with their difference.
//   npm run bench:vulns -- --last     re-prints the inventory difference of the last run
import { execFile, spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import yazl from 'yazl';
import { normalizePackageName } from '../../vulns/osv/record.ts';
import { debianProbes, probeRecord, probeTable } from './vulns-debian-probes.ts';
import { craneFor } from '../../test/oci/support/crane.ts';
import { startRegistry } from '../../test/oci/support/registry-server.ts';

const run = promisify(execFile);
const root = resolve(import.meta.dirname, '../..');
const work = join(root, '.cache', 'bench-vulns', 'peer');
const say = (m: string) => process.stderr.write(`bench: ${m}\n`);

interface Timed {
  seconds: number;
  maxRssMB: number;
  stdout: string;
  stderr: string;
  code: number;
}

/** A command under /usr/bin/time: wall time from here, peak RSS from the kernel's accounting. */
function timed(cmd: string, args: string[], env: NodeJS.ProcessEnv = process.env): Promise<Timed> {
  return new Promise((res, rej) => {
    const started = process.hrtime.bigint();
    const child = spawn('/usr/bin/time', ['-f', 'PEAK_RSS_KB=%M', cmd, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', rej);
    child.on('exit', (code) => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      const rss = /PEAK_RSS_KB=(\d+)/.exec(stderr);
      res({ seconds, maxRssMB: rss ? Number(rss[1]) / 1024 : NaN, stdout, stderr, code: code ?? -1 });
    });
  });
}

function zip(files: Map<string, Buffer>, out: string): Promise<void> {
  return new Promise((res, rej) => {
    const z = new yazl.ZipFile();
    for (const [name, body] of files) z.addBuffer(body, name);
    z.end();
    const chunks: Buffer[] = [];
    z.outputStream.on('data', (c: Buffer) => chunks.push(c));
    z.outputStream.on('error', rej);
    z.outputStream.on('end', () => writeFile(out, Buffer.concat(chunks)).then(res, rej));
  });
}

/** One all.zip per ecosystem (base name), bucket layout, under <dir>/osv-scalibr/<ecosystem>/all.zip. */
async function buildOsvZips(dir: string, extraDebian: { id: string }[]): Promise<{ zips: string[]; records: number }> {
  const sources = [join(root, '.tools', 'go-vulndb', 'data', 'osv'), join(root, 'test', 'vulns', 'osv'), join(root, 'samples', 'osv')];
  const byEcosystem = new Map<string, Map<string, Buffer>>();
  let records = 0;
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith('.json')) {
        const body = readFileSync(p);
        const doc = JSON.parse(body.toString('utf8')) as { id: string; affected?: { package?: { ecosystem: string } }[] };
        records++;
        for (const eco of new Set((doc.affected ?? []).map((a) => a.package?.ecosystem.split(':')[0]).filter((x): x is string => !!x))) {
          if (!byEcosystem.has(eco)) byEcosystem.set(eco, new Map());
          byEcosystem.get(eco)!.set(`${doc.id}.json`, body);
        }
      }
    }
  };
  for (const s of sources) {
    if (!existsSync(s)) throw new Error(`${s} is missing: run \`bash scripts/setup.sh --test\``);
    walk(s);
  }
  if (!byEcosystem.has('Debian')) byEcosystem.set('Debian', new Map());
  for (const r of extraDebian) byEcosystem.get('Debian')!.set(`${r.id}.json`, Buffer.from(JSON.stringify(r)));
  const zips: string[] = [];
  for (const [eco, files] of byEcosystem) {
    const d = join(dir, 'osv-scalibr', eco);
    await mkdir(d, { recursive: true });
    await zip(files, join(d, 'all.zip'));
    zips.push(join(d, 'all.zip'));
  }
  return { zips, records };
}

/**
 * How osv-scanner v2 (matching through osv-scalibr's vulnmatch/osvlocal enricher) reads a local database,
 * from its source at v2.5.0 (osv-scalibr enricher/vulnmatch/osvlocal, matcher.go and zip.go):
 *  - the archives are <dir>/osv-scalibr/<ecosystem>/all.zip, <dir> from OSV_SCALIBR_LOCAL_DB_CACHE_DIRECTORY
 *    (or the hidden --local-db-path); OSV_SCANNER_LOCAL_DB_CACHE_DIRECTORY and <dir>/osv-scanner/ were v1's;
 *  - the enricher declares it runs offline only when nothing is downloaded, and scalibr disables a plugin
 *    whose network requirement differs from the scan's, so `--offline-vulnerabilities` alone silently
 *    matches nothing ("should only run offline but the scan environment provides network access"):
 *    `--offline` sets both the offline comparison and the offline scan environment.
 */
const osvScannerOffline = { args: ['--offline'], env: 'OSV_SCALIBR_LOCAL_DB_CACHE_DIRECTORY' };

interface Match {
  ecosystem: string;
  name: string;
  version: string;
  id: string;
}
// Both sides keyed alike: posture keeps a Python distribution's name as its METADATA spells it (Jinja2),
// osv-scanner lowercases it; PyPI names are one name under PEP 503 normalization, as the database matches them.
const key = (m: Match) => `${m.ecosystem.split(':')[0]} ${normalizePackageName(m.ecosystem, m.name)}@${m.version.replace(/^v/, '')} ${m.id}`;

interface PostureReport {
  assets: {
    kind: string;
    image?: {
      contents?: { packages: { name: string; version: string; ecosystem?: string | null; manager: string; layer?: number | null; path?: string | null }[] } | null;
      vulnerabilities?: { records: string[]; package: { name: string; version: string; ecosystem: string; sourceName: string | null } }[];
    };
  }[];
}

/** One package as a tool inventoried it, and where (layer index and the file it was read from). */
interface Found {
  ecosystem: string;
  name: string;
  version: string;
  where: string;
}

/** Package counts per ecosystem (release dropped), printed so a difference in inventory shows where it is. */
function perEcosystem(ecosystems: string[]): string {
  const counts = new Map<string, number>();
  for (const e of ecosystems) counts.set(e.split(':')[0]!, (counts.get(e.split(':')[0]!) ?? 0) + 1);
  return [...counts].sort(([a], [b]) => a.localeCompare(b)).map(([e, n]) => `${e} ${n}`).join(', ');
}

interface Side {
  packages: number;
  ecosystems: string;
  matches: Match[];
  found: Found[];
}

function postureMatches(report: PostureReport): Side {
  const image = report.assets.find((a) => a.kind === 'image');
  const matches: Match[] = [];
  for (const v of image?.image?.vulnerabilities ?? []) {
    for (const id of v.records) matches.push({ ecosystem: v.package.ecosystem, name: v.package.name, version: v.package.version, id });
  }
  const packages = image?.image?.contents?.packages ?? [];
  const found = packages.map((p) => ({ ecosystem: p.ecosystem ?? p.manager, name: p.name, version: p.version, where: `layer ${p.layer ?? '?'} ${p.path ?? '?'}` }));
  return { packages: packages.length, ecosystems: perEcosystem(found.map((f) => f.ecosystem)), matches, found };
}

interface OsvScannerReport {
  results?: {
    source?: { path: string };
    packages?: { package: { name: string; os_package_name?: string; version: string; ecosystem: string; image_origin_details?: { index: number } }; vulnerabilities?: { id: string }[] }[];
  }[];
}

function osvScannerMatches(report: OsvScannerReport): Side {
  const matches: Match[] = [];
  const found: Found[] = [];
  for (const r of report.results ?? []) {
    for (const p of r.packages ?? []) {
      const { package: pkg } = p;
      // osv-scanner names a Debian package by its source package; os_package_name is the installed (binary) one.
      found.push({ ecosystem: pkg.ecosystem, name: pkg.os_package_name ?? pkg.name, version: pkg.version, where: `layer ${pkg.image_origin_details?.index ?? '?'} ${r.source?.path ?? '?'}` });
      for (const v of p.vulnerabilities ?? []) matches.push({ ecosystem: pkg.ecosystem, name: pkg.os_package_name ?? pkg.name, version: pkg.version, id: v.id });
    }
  }
  return { packages: found.length, ecosystems: perEcosystem(found.map((f) => f.ecosystem)), matches, found };
}

/**
 * Per ecosystem, the packages (name@version, names as the ecosystem normalizes them) one tool inventoried and
 * the other did not, each with where it was found; and the name@versions both found but in a different
 * number of places (a second copy one tool reads and the other does not). The difference is the evidence.
 */
/** Debian matches as `binary@version record`, both tools naming the installed (binary) package. */
const debianMatches = (ms: Match[]) => new Set(ms.filter((m) => m.ecosystem.startsWith('Debian')).map((m) => `${m.name}@${m.version} ${m.id}`));

function inventoryDifference(ours: Found[], theirs: Found[], labels = ['posture', 'osv-scanner']): string[] {
  const group = (fs: Found[]) => {
    const m = new Map<string, Map<string, string[]>>();
    for (const f of fs) {
      const eco = f.ecosystem.split(':')[0]!;
      const k = `${normalizePackageName(eco, f.name)}@${f.version.replace(/^v(?=\d)/, '')}`;
      if (!m.has(eco)) m.set(eco, new Map());
      const at = m.get(eco)!;
      at.set(k, [...(at.get(k) ?? []), f.where]);
    }
    return m;
  };
  const [a, b] = [group(ours), group(theirs)];
  const width = Math.max(...labels.map((l) => l.length));
  const lines = [`| ecosystem | ${labels[0]} packages | ${labels[1]} packages | same name@version | only ${labels[0]} | only ${labels[1]} | copies differ |`, '|---|---|---|---|---|---|---|'];
  const detail: string[] = [];
  for (const eco of [...new Set([...a.keys(), ...b.keys()])].sort()) {
    const [x, y] = [a.get(eco) ?? new Map<string, string[]>(), b.get(eco) ?? new Map<string, string[]>()];
    const count = (m: Map<string, string[]>) => [...m.values()].reduce((n, w) => n + w.length, 0);
    const onlyX = [...x.keys()].filter((k) => !y.has(k)).sort();
    const onlyY = [...y.keys()].filter((k) => !x.has(k)).sort();
    const copies = [...x.keys()].filter((k) => y.has(k) && x.get(k)!.length !== y.get(k)!.length).sort();
    lines.push(`| ${eco} | ${count(x)} | ${count(y)} | ${[...x.keys()].filter((k) => y.has(k)).length} | ${onlyX.length} | ${onlyY.length} | ${copies.length} |`);
    for (const k of onlyX) detail.push(`  ${eco} only ${labels[0]!.padEnd(width)}  ${k}  (${x.get(k)!.join('; ')})`);
    for (const k of onlyY) detail.push(`  ${eco} only ${labels[1]!.padEnd(width)}  ${k}  (${y.get(k)!.join('; ')})`);
    for (const k of copies) detail.push(`  ${eco} copies differ ${k}: ${labels[0]} ${x.get(k)!.join('; ')} | ${labels[1]} ${y.get(k)!.join('; ')}`);
  }
  return [...lines, ...(detail.length ? ['', ...detail] : [])];
}

async function main(): Promise<void> {
  if (process.argv.includes('--last')) {
    // The inventory difference of the last run, from the reports it kept, without scanning again.
    const read = async (f: string) => JSON.parse(await readFile(join(work, f), 'utf8')) as unknown;
    const [pm, om] = [postureMatches((await read('posture.json')) as PostureReport), osvScannerMatches((await read('osv-scanner.json')) as OsvScannerReport)];
    process.stdout.write(`${inventoryDifference(pm.found, om.found).join('\n')}\n`);
    return;
  }
  // The bench image comes from the inventory workstream's script; imported by a computed path so this
  // file type-checks before that script lands.
  const imageScript = join(root, 'scripts', 'bench', 'vulns-image.ts');
  if (!existsSync(imageScript)) throw new Error('scripts/bench/vulns-image.ts (the bench image) is not in this tree yet');
  const { buildVulnsBenchImage } = (await import(imageScript)) as { buildVulnsBenchImage: () => Promise<{ layout: string; uncompressedBytes: number }> };
  const osvScanner = (await run('bash', [join(root, 'scripts', 'bench', 'osv-scanner.sh')], { maxBuffer: 1 << 20 })).stdout.trim();
  const image = await buildVulnsBenchImage();
  await rm(work, { recursive: true, force: true });
  await mkdir(work, { recursive: true });

  // One docker-save tarball for both tools (osv-scanner reads archives; posture reads them too).
  const tarball = join(work, 'image.tar');
  const registry = await startRegistry({ kind: 'none' });
  try {
    const crane = await craneFor(registry.host);
    await crane('push', image.layout, `${registry.host}/bench/vulns:1`);
    await crane('pull', '--format', 'tarball', `${registry.host}/bench/vulns:1`, tarball);
  } finally {
    await registry.stop();
  }

  const dbDir = join(work, 'osvdb');
  // Debian probes (scripts/bench/vulns-debian-probes.ts) built around the image's own dpkg status.
  const { probes, installed } = debianProbes(readFileSync(join(root, '.cache', 'bench-vulns', 'rootfs', 'var', 'lib', 'dpkg', 'status'), 'utf8'));
  const { zips, records } = await buildOsvZips(dbDir, probes.map(probeRecord));
  const db = join(work, 'posture.sqlite');
  const posture = [process.execPath, join(root, 'bin', 'posture.js')];
  const update = await timed(posture[0]!, [posture[1]!, 'db', 'update', '--db', db, ...zips.flatMap((z) => ['--source', z])]);
  if (update.code !== 0) throw new Error(`posture db update failed: ${update.stdout}${update.stderr}`);

  say('posture scan');
  const p = await timed(posture[0]!, [posture[1]!, 'scan', '--format', 'json', '--no-history', '--vulndb', db, tarball], { ...process.env, POSTURE_TIMINGS: '1' });
  if (p.code !== 0 && p.code !== 1) throw new Error(`posture scan exited ${p.code}: ${p.stderr.slice(0, 1000)}`);
  await writeFile(join(work, 'posture.json'), p.stdout);
  const pm = postureMatches(JSON.parse(p.stdout) as PostureReport);
  const dbOpenMs = Number(/vulnerability database open ([\d.]+) ms/.exec(p.stderr)?.[1] ?? NaN);
  const matchMs = Number(/matching ([\d.]+) ms/.exec(p.stderr)?.[1] ?? NaN);

  say('osv-scanner scan image (offline, same data)');
  const o = await timed(osvScanner, ['scan', 'image', '--archive', tarball, ...osvScannerOffline.args, '--format', 'json', '--all-packages'], { ...process.env, [osvScannerOffline.env]: dbDir });
  if (o.code !== 0 && o.code !== 1) throw new Error(`osv-scanner exited ${o.code}: ${o.stderr.slice(0, 2000)}`);
  await writeFile(join(work, 'osv-scanner.json'), o.stdout);
  const om = osvScannerMatches(JSON.parse(o.stdout) as OsvScannerReport);
  // A peer that read no database would "agree" on zero matches: name the archives it loaded, or stop.
  const loaded = [...o.stderr.matchAll(/Loaded (\S+) local db from/g)].map((m) => m[1]!);
  if (loaded.length === 0) throw new Error(`osv-scanner loaded no local database from ${dbDir}: ${o.stderr.slice(-2000)}`);
  say(`osv-scanner loaded the local archives of ${loaded.sort().join(', ')}`);

  const ours = new Set(pm.matches.map(key));
  const theirs = new Set(om.matches.map(key));
  const onlyOurs = [...ours].filter((k) => !theirs.has(k)).sort();
  const onlyTheirs = [...theirs].filter((k) => !ours.has(k)).sort();
  const mb = (n: number) => (n / 1024 / 1024).toFixed(0);
  const lines = [
    `image: ${mb(image.uncompressedBytes)} MB uncompressed; OSV data: ${records} records + ${probes.length} Debian probes in ${zips.length} ecosystem archives; machine: ${(await run('nproc')).stdout.trim()} cores, load ${(await run('cat', ['/proc/loadavg'])).stdout.split(' ').slice(0, 3).join(' ')}`,
    '',
    '| tool | packages | matches (package, record) | wall s | peak RSS MB | DB load |',
    '|---|---|---|---|---|---|',
    `| posture ${'scan'} | ${pm.packages} | ${ours.size} | ${p.seconds.toFixed(2)} | ${p.maxRssMB.toFixed(0)} | ${dbOpenMs.toFixed(1)} ms open (matching ${matchMs.toFixed(0)} ms) |`,
    `| osv-scanner v2 (offline) | ${om.packages} | ${theirs.size} | ${o.seconds.toFixed(2)} | ${o.maxRssMB.toFixed(0)} | in its wall time (reads the zips each run) |`,
    '',
    `packages by ecosystem: posture ${pm.ecosystems}; osv-scanner ${om.ecosystems}`,
    '',
    ...inventoryDifference(pm.found, om.found),
    '',
    `speed: posture ${(o.seconds / p.seconds).toFixed(2)}× osv-scanner (target ≥ 2×); posture DB import (once, not per scan): ${update.seconds.toFixed(1)} s`,
    '',
    `Debian matching on ${probes.length} constructed probe records (not advisories; in the matches above), expected by Debian's rules (source versions, dpkg ordering):`,
    '',
    ...probeTable(probes, installed, 'Debian:12', [
      { label: 'posture', matches: debianMatches(pm.matches) },
      { label: 'osv-scanner', matches: debianMatches(om.matches) },
    ]),
    '',
    `same matches: ${ours.size - onlyOurs.length}; only posture: ${onlyOurs.length}; only osv-scanner: ${onlyTheirs.length}`,
    ...onlyOurs.map((k) => `  only posture:     ${k}`),
    ...onlyTheirs.map((k) => `  only osv-scanner: ${k}`),
  ];
  if (process.argv.includes('--list')) lines.push('', 'posture matches:', ...[...ours].sort().map((k) => `  ${k}`), 'osv-scanner matches:', ...[...theirs].sort().map((k) => `  ${k}`));
  process.stdout.write(`${lines.join('\n')}\n`);
}

await main();
