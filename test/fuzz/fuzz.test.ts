// The property-based checks of test/fuzz/properties.ts with a fixed seed, so `npm test` is reproducible;
// `npm run fuzz` runs the same properties much longer with a fresh seed and prints it on a failure.
import fc from 'fast-check';
import { describe, it } from 'vitest';
import { properties } from './properties.ts';

export const fixedSeed = 20_261_126;

describe('property-based checks (fixed seed)', () => {
  for (const p of properties) {
    it(p.name, async () => {
      await fc.assert(p.property(), { seed: fixedSeed, numRuns: p.runs, endOnFailure: true });
    }, 120_000);
  }
});
