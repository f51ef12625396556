// Compiles policies/ to the Wasm bundle the engine loads, and the rule catalog.
// Gates: `opa fmt` clean, `opa check --strict`, METADATA valid, and the input contracts: every field a
// rule reads is produced by a real normalizer (policies/contracts). Skips work when sources are unchanged.
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import pLimit from 'p-limit';
import { loadFrameworks, writeFrameworksCache } from '../core/frameworks.ts';
import { catalogFromInspect, type Catalog } from '../policies/catalog.ts';
import { contractFixtures, fixtureAssets, type ProviderFixtures } from '../policies/contracts/fixtures.ts';
import { checkContracts, librariesOf, readsOfFile } from '../policies/contracts/gate.ts';
import { hostBuiltinNames } from '../policies/host-builtins.ts';
import { compileModule, PolicyInstance } from '../policies/wasm-host.ts';
import { bundleIgnore, distDir as defaultDist, entrypoint, opaBinary, policiesDir as defaultPolicies, repoRoot } from '../policies/layout.ts';

/** What the contract gate's verdict depends on besides the policies: the normalizers and their fixtures. */
const gateSources = [
  'providers',
  'core/asset.ts',
  'core/applicability.ts',
  'policies/catalog.ts',
  'policies/contracts',
  'samples/aws',
  'samples/azure',
  'samples/gcp',
  'test/azure/support/arm-bodies.ts',
  'test/gcp/support/clusters.ts',
  'test/oci/support',
  'scripts/make-sample-image.ts',
].map((p) => path.join(repoRoot, p));

export class PolicyBuildError extends Error {
  override name = 'PolicyBuildError';
}

function sourceFiles(p: string, pattern = /\.(rego|json)$/): string[] {
  if (!existsSync(p)) return [];
  if (statSync(p).isFile()) return [p];
  return readdirSync(p)
    .sort()
    .flatMap((name) => sourceFiles(path.join(p, name), pattern))
    .filter((f) => pattern.test(f));
}

const run = promisify(execFile);

/**
 * Runs opa without blocking the event loop: a build inside a test worker (or the scan worker's cold start)
 * must leave it free to answer its runner while OPA parses and compiles.
 */
async function opa(args: string[]): Promise<string> {
  try {
    return (await run(opaBinary, args, { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 })).stdout;
  } catch (err) {
    const e = err as { stdout?: string; stderr?: string; message: string };
    throw new Error(`opa ${args[0]} failed:\n${e.stdout ?? ''}${e.stderr ?? e.message}`);
  }
}

/**
 * The Wasm target only has the builtins opa-wasm lists (OPA's Wasm runtime's, and the few its JavaScript adds)
 * plus the ones our host adds, so `opa check` runs against that list: an unsupported builtin fails the build,
 * not a scan. Of the ones left to the host, ours implements only policies/host-builtins.ts; the built module
 * is instantiated once below, which names any other it calls.
 */
async function writeWasmCapabilities(): Promise<string> {
  const current = JSON.parse(await opa(['capabilities', '--current'])) as { builtins: { name: string }[] };
  const wasmCaps = JSON.parse(readFileSync(path.join(repoRoot, 'node_modules/@open-policy-agent/opa-wasm/capabilities.json'), 'utf8')) as {
    builtins: { name: string }[];
  };
  const supported = new Set([...wasmCaps.builtins.map((b) => b.name), ...hostBuiltinNames]);
  current.builtins = current.builtins.filter((b) => supported.has(b.name));
  const file = path.join(repoRoot, 'node_modules', '.cache', 'posture-wasm-capabilities.json');
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, JSON.stringify(current));
  return file;
}

/** Go's sprintf and sprintf-js (our host's formatter, policies/host-builtins.ts) agree on %s and %d only; not %v or %q. */
function lintSprintf(files: string[]): void {
  const bad = files
    .filter((f) => f.endsWith('.rego'))
    .flatMap((f) =>
      readFileSync(f, 'utf8')
        .split('\n')
        .map((line, i) => ({ f, i, line }))
        .filter(({ line }) => /sprintf\(/.test(line) && /%[^sd%]/.test(line.slice(line.indexOf('sprintf(')))),
    );
  if (bad.length) {
    throw new Error(`sprintf may only use %s and %d under Wasm:\n${bad.map((b) => `${path.relative(repoRoot, b.f)}:${b.i + 1}`).join('\n')}`);
  }
}

/** Framework id → asset selectors, for the frameworks a rule maps to that are limited to some assets. */
function withScopes(catalog: Catalog, frameworksDir: string): Catalog {
  const frameworks = loadFrameworks(frameworksDir);
  return catalog.map((rule) => {
    const scopes: Catalog[number]['scopes'] = {};
    for (const fw of Object.keys(rule.frameworks) as (keyof typeof rule.frameworks)[]) {
      const assets = frameworks.get(fw)?.assets;
      if (assets) scopes[fw] = assets;
    }
    return { ...rule, scopes };
  });
}

/**
 * main.rego gathers `manual` and `not_applicable` entries only from the packages it names (manual_rules,
 * excluding_rules): a package that declares one and is not named would lose those verdicts without a word.
 * Each problem is one line naming the package.
 */
async function checkNamedOutcomes(rules: readonly { package: string; file: string }[], mainRego: string): Promise<string[]> {
  const query = '{"manual": data.posture.main.manual_rules, "not_applicable": data.posture.main.excluding_rules}';
  const out = JSON.parse(await opa(['eval', '-f', 'json', '-d', mainRego, query])) as { result: { expressions: { value: Record<string, string[]> }[] }[] };
  const named = out.result[0]?.expressions[0]?.value ?? {};
  const problems: string[] = [];
  for (const [kind, list] of [['manual', 'manual_rules'], ['not_applicable', 'excluding_rules']] as const) {
    const listed = new Set(named[kind] ?? []);
    // Rule heads start a line in `opa fmt` output, which the build requires.
    const declaring = new Set(rules.filter((r) => new RegExp(`^${kind}\\b`, 'm').test(readFileSync(r.file, 'utf8'))).map((r) => r.package));
    for (const pkg of declaring) if (!listed.has(pkg)) problems.push(`${pkg} declares ${kind}: add "${pkg}" to ${list} in policies/main.rego`);
    for (const pkg of listed) if (!declaring.has(pkg)) problems.push(`${pkg} is in ${list} in policies/main.rego but declares no ${kind}`);
  }
  return problems;
}

export interface BuildOptions {
  force?: boolean;
  /** Policy source tree (main.rego, lib, rules, data, frameworks); default policies/. */
  policies?: string;
  /** Where the bundle goes; default policies/dist. */
  dist?: string;
  /** The assets rule inputs are checked against; default policies/contracts/fixtures.ts. */
  fixtures?: readonly ProviderFixtures[];
  /** Where gate notes (preview rules) go; default stderr. */
  note?: (line: string) => void;
}

export async function buildPolicies(options: BuildOptions = {}): Promise<{ digest: string; rebuilt: boolean }> {
  const force = options.force ?? false;
  const policiesDir = options.policies ?? defaultPolicies;
  const distDir = options.dist ?? defaultDist;
  const opaRoots = ['main.rego', 'lib', 'rules', 'data'].map((p) => path.join(policiesDir, p));
  if (!existsSync(opaBinary)) throw new Error(`opa not found at ${opaBinary}: run \`bash scripts/setup.sh\` first`);
  const files = opaRoots.flatMap((p) => sourceFiles(p));
  const hash = createHash('sha256');
  hash.update(await opa(['version']));
  // How the bundle is built is part of what it is: a change here rebuilds bundles built the old way.
  hash.update(JSON.stringify({ entrypoint, bundleIgnore }));
  for (const f of files) hash.update(path.relative(policiesDir, f)).update('\0').update(readFileSync(f));
  for (const f of [...sourceFiles(path.join(policiesDir, 'frameworks'), /\.ya?ml$/), ...gateSources.flatMap((p) => sourceFiles(p, /\.(ts|json)$/))]) {
    hash.update(path.relative(repoRoot, f)).update('\0').update(readFileSync(f));
  }
  const sourceDigest = hash.digest('hex');
  const manifestPath = path.join(distDir, 'manifest.json');
  if (!force && existsSync(manifestPath) && existsSync(path.join(distDir, 'policy.wasm'))) {
    const previous = JSON.parse(readFileSync(manifestPath, 'utf8')) as { sourceDigest?: string; bundleDigest: string };
    if (previous.sourceDigest === sourceDigest) {
      // A bundle built before the frameworks cache existed gets one (the cache checks its own digest).
      if (!existsSync(path.join(distDir, 'frameworks.json'))) writeFrameworksCache(path.join(policiesDir, 'frameworks'), path.join(distDir, 'frameworks.json'));
      return { digest: previous.bundleDigest, rebuilt: false };
    }
  }

  const unformatted = (await opa(['fmt', '-l', ...opaRoots])).trim();
  if (unformatted) throw new Error(`opa fmt: these files are not formatted (run \`.tools/bin/opa fmt -w policies\`):\n${unformatted}`);
  // Tests run only under `opa test` (native Go), so only rule and library files must fit the Wasm builtins.
  await opa(['check', '--strict', ...opaRoots]);
  const compiled = files.filter((f) => !f.endsWith('_test.rego'));
  await opa(['check', '--strict', '--capabilities', await writeWasmCapabilities(), ...compiled]);
  lintSprintf(files);
  const inspected = catalogFromInspect(JSON.parse(await opa(['inspect', '-a', '-f', 'json', path.join(policiesDir, 'rules')])));
  const parse = pLimit(4);
  // Library values that are input paths (`workload.containers`), so reads through them are followed too.
  const libs = await librariesOf(opaBinary, compiled.filter((f) => f.startsWith(path.join(policiesDir, 'lib') + path.sep)));
  const reads = new Map(await Promise.all(inspected.map((rule) => parse(async () => [rule.id, await readsOfFile(opaBinary, rule.file, libs)] as const))));
  const catalog = withScopes(inspected, path.join(policiesDir, 'frameworks')).map((rule) => ({ ...rule, file: path.relative(repoRoot, rule.file) }));
  const undeclared = await checkNamedOutcomes(inspected, path.join(policiesDir, 'main.rego'));
  if (undeclared.length) throw new PolicyBuildError(`main.rego's lists of packages with manual / not_applicable entries are out of date:\n${undeclared.join('\n')}`);
  const gate = checkContracts(catalog, await fixtureAssets(options.fixtures ?? contractFixtures), reads);
  if (gate.problems.length) throw new PolicyBuildError(`input contracts: rules read fields no normalizer produces:\n${gate.problems.join('\n')}`);
  for (const line of gate.preview) (options.note ?? ((l: string) => process.stderr.write(`policies: ${l}\n`)))(line);

  rmSync(distDir, { recursive: true, force: true });
  mkdirSync(distDir, { recursive: true });
  const bundle = path.join(distDir, 'bundle.tar.gz');
  await opa(['build', '-t', 'wasm', '-e', entrypoint, ...bundleIgnore.flatMap((p) => ['--ignore', p]), '-o', bundle, ...opaRoots]);
  await run('tar', ['-xzf', bundle, '-C', distDir, '--no-same-permissions', '/policy.wasm', '/data.json']);
  await PolicyInstance.instantiate(compileModule(readFileSync(path.join(distDir, 'policy.wasm'))));
  const bundleDigest = createHash('sha256').update(readFileSync(bundle)).digest('hex');
  writeFileSync(path.join(distDir, 'catalog.json'), JSON.stringify(catalog, null, 2));
  writeFrameworksCache(path.join(policiesDir, 'frameworks'), path.join(distDir, 'frameworks.json'));
  writeFileSync(
    manifestPath,
    JSON.stringify({ sourceDigest, bundleDigest, opa: (await opa(['version'])).split('\n')[0], rules: catalog.length, builtAt: new Date().toISOString() }, null, 2),
  );
  return { digest: bundleDigest, rebuilt: true };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { digest, rebuilt } = await buildPolicies({ force: process.argv.includes('--force') });
  process.stderr.write(`policies: ${rebuilt ? 'built' : 'up to date'} (bundle sha256:${digest.slice(0, 12)})\n`);
}
