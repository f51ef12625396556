// The README's list of exported and not-exported admission rules is the exporter's own, kept in step.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../../policies/layout.ts';
import { admissionRulesBlock, withBlock } from '../../scripts/gen-admission-docs.ts';

describe('README admission rules', () => {
  it('lists exactly what posture export admission exports and leaves out (npx tsx scripts/gen-admission-docs.ts)', async () => {
    const readme = readFileSync(path.join(repoRoot, 'README.md'), 'utf8');
    expect(withBlock(readme, await admissionRulesBlock())).toBe(readme);
  });
});
