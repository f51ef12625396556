#!/usr/bin/env node
// Runs the CLI from its esbuild bundle (dist/cli, rebuilt here when a source is newer than it), with V8's
// compile cache on so later runs skip parsing and compiling what they load. Without esbuild (a production
// install) or with POSTURE_FROM_SOURCE=1, the TypeScript sources run through tsx's loader instead.
import module from 'node:module';

// node:sqlite (the vulnerability database, rpm's SQLite database) is stable enough for what we ask of it
// but still announces itself as experimental on Node.js 22; every other warning is printed as usual.
const printWarning = process.listeners('warning');
process.removeAllListeners('warning');
process.on('warning', (warning) => {
  if (warning.name === 'ExperimentalWarning' && /SQLite/.test(warning.message)) return;
  for (const listener of printWarning) listener(warning);
});

module.enableCompileCache?.();
const entry = process.env.POSTURE_FROM_SOURCE ? undefined : await bundledEntry();
let main;
if (entry) {
  ({ main } = await import(entry));
} else {
  (await import('tsx/esm/api')).register();
  ({ main } = await import('../cli/main.ts'));
}
process.exitCode = await main(process.argv.slice(2));

async function bundledEntry() {
  const bundle = await import('../scripts/lib/cli-bundle.mjs');
  const fresh = bundle.freshEntry();
  if (fresh) return fresh;
  try {
    return await bundle.buildCli();
  } catch (err) {
    if (err?.code !== 'ERR_MODULE_NOT_FOUND') process.stderr.write(`posture: bundling failed, running from source: ${err.message}\n`);
    return undefined;
  }
}
