// The long fuzzing run: every property of test/fuzz/properties.ts with many more cases than `npm test`
// runs, and a fresh seed each time (or the one given), printed so that a failure can be replayed.
//   npm run fuzz [-- --runs-factor 50] [-- --seed 123] [-- --only manifest]
import fc from 'fast-check';
import { properties } from '../test/fuzz/properties.ts';

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

const factor = Number(arg('runs-factor') ?? 40);
const seed = Number(arg('seed') ?? Math.floor(Math.random() * 2 ** 31));
const only = arg('only');
console.log(`fuzz: seed ${seed}, ${factor}x the cases of npm test`);
let failed = 0;
for (const p of properties.filter((x) => !only || x.name.includes(only))) {
  const started = Date.now();
  const result = await fc.check(p.property(), { seed, numRuns: p.runs * factor });
  const secs = ((Date.now() - started) / 1000).toFixed(1);
  if (result.failed) {
    failed += 1;
    console.log(`FAIL ${p.name} (${result.numRuns} runs, ${secs} s)\n${fc.defaultReportMessage(result)}`);
  } else {
    console.log(`ok   ${p.name} (${result.numRuns} runs, ${secs} s)`);
  }
}
console.log(`fuzz: ${properties.length - failed} passed, ${failed} failed (seed ${seed})`);
process.exitCode = failed ? 1 : 0;
