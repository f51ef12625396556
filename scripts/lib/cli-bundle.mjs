// The CLI as an esbuild bundle in dist/cli/ (ignored, never committed): one ESM entry plus a chunk per
// lazily imported part (cloud SDK collectors, renderers, state stores), so a command loads only what it
// uses and Node does not transpile TypeScript on every run. Plain JavaScript: bin/posture.js reads it
// before any TypeScript loader exists.
//
// dist/cli/manifest.json names the entry, the build's start time and every source file the bundle was
// made from. The bundle is fresh while none of those files is newer than the build. File names carry a
// content hash and each file is written by rename, so concurrent runs (tests spawn the CLI in parallel)
// never read a half-written or replaced file.
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const outDir = path.join(root, 'dist', 'cli');
const manifestFile = path.join(outDir, 'manifest.json');
export const metaFile = path.join(outDir, 'meta.json');
// The native addon; the build tools; the cloud SDKs, which only cloud commands load (lazily) and which
// read files beside their code (protos) or rely on CommonJS details.
const externalPackages = ['better-sqlite3', 'esbuild', 'tsx', '@aws-sdk/*', '@smithy/*', '@aws-crypto/*', '@azure/*', '@google-cloud/*', 'google-gax', 'google-auth-library', 'gcp-metadata', 'protobufjs', 'proto3-json-serializer', '@grpc/*', 'aws-cdk-lib', 'constructs'];
/**
 * A dependency's optional peer that is not installed (cyclonedx-library's XML plug-ins) stays a run-time
 * require(), which throws, as it would without the bundle, only if that path is taken.
 */
const optionalPeersExternal = {
  name: 'optional-peers-external',
  setup(build) {
    build.onResolve({ filter: /^[@a-z]/ }, async (args) => {
      if (args.pluginData?.probing || args.importer.indexOf(`${path.sep}node_modules${path.sep}`) < 0) return undefined;
      const found = await build.resolve(args.path, { kind: args.kind, resolveDir: args.resolveDir, importer: args.importer, pluginData: { probing: true } });
      return found.errors.length ? { path: args.path, external: true } : undefined;
    });
  },
};
/** Files of earlier builds are removed once this old (a run that started before may still import them). */
const staleAfterMs = 60 * 60 * 1000;

/** The entry module of a bundle built after every one of its sources changed, or undefined. */
export function freshEntry() {
  let manifest;
  try {
    manifest = JSON.parse(readFileSync(manifestFile, 'utf8'));
  } catch {
    return undefined;
  }
  for (const input of manifest.inputs) {
    let mtime;
    try {
      mtime = statSync(path.join(root, input)).mtimeMs;
    } catch {
      return undefined; // a source was removed or renamed
    }
    if (mtime >= manifest.builtAt) return undefined;
  }
  return path.join(outDir, manifest.entry);
}

/** Builds the bundle (esbuild, a dev dependency) and returns its entry module. */
export async function buildCli() {
  const { build } = await import('esbuild');
  const builtAt = Date.now();
  const result = await build({
    absWorkingDir: root,
    entryPoints: { posture: 'cli/main.ts' },
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node22',
    // Dependencies are bundled too: ESM chunks load without the CommonJS loader's per-file package.json
    // lookups and export scanning. Left in node_modules: the native addon, and packages that read files
    // beside their own code at run time.
    external: externalPackages,
    plugins: [optionalPeersExternal],
    mainFields: ['module', 'main'],
    // Some dependencies still call require(); give the ESM output a real one.
    banner: { js: "import { createRequire as __posture_createRequire } from 'node:module'; const require = __posture_createRequire(import.meta.url);" },
    // policies/layout.ts finds the repository from its module's URL; the bundle sits two levels down.
    define: { __POSTURE_REPO_FROM_MODULE__: '"../.."' },
    entryNames: '[name]-[hash]',
    chunkNames: '[name]-[hash]',
    outdir: outDir,
    write: false,
    metafile: true,
    logLevel: 'error',
  });
  mkdirSync(outDir, { recursive: true });
  const written = new Set(['manifest.json']);
  for (const file of result.outputFiles) {
    const name = path.relative(outDir, file.path);
    written.add(name);
    if (!existsSync(file.path)) writeAtomically(file.path, file.contents);
  }
  const entry = Object.entries(result.metafile.outputs).find(([, o]) => o.entryPoint === 'cli/main.ts')[0];
  // Besides the sources: this builder, and npm's record of the installed dependencies (bundled too).
  const inputs = [...Object.keys(result.metafile.inputs), 'scripts/lib/cli-bundle.mjs', 'node_modules/.package-lock.json']
    .filter((f) => !f.startsWith('node_modules/') || f === 'node_modules/.package-lock.json')
    .sort();
  const manifest = { entry: path.relative(outDir, path.resolve(root, entry)), builtAt, inputs };
  // Which sources each output file holds and what it imports (statically or lazily): what a test reads to
  // tell which modules a command loads, and what a person reads to see why a chunk is big.
  writeAtomically(metaFile, JSON.stringify(result.metafile));
  written.add('meta.json');
  writeAtomically(manifestFile, JSON.stringify(manifest, null, 1));
  for (const name of readdirSync(outDir)) {
    const file = path.join(outDir, name);
    try {
      if (!written.has(name) && Date.now() - statSync(file).mtimeMs > staleAfterMs) unlinkSync(file);
    } catch {
      // another build removed it first
    }
  }
  return path.join(outDir, manifest.entry);
}

function writeAtomically(file, contents) {
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, contents);
  renameSync(tmp, file);
}

// `node scripts/lib/cli-bundle.mjs`: build unless fresh (scripts/setup.sh runs this).
if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  if (!freshEntry()) {
    process.stderr.write('setup: bundling the CLI into dist/cli\n');
    await buildCli();
  }
}
