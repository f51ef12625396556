// The committed Markdown catalog under docs/ must be what the generator writes from METADATA now.
import { describe, expect, it } from 'vitest';
import { loadFrameworks } from '../../core/frameworks.ts';
import { catalogDocs, loadCatalog, staleDocs } from '../../scripts/gen-catalog-docs.ts';

describe('policy catalog docs', () => {
  const expected = catalogDocs(loadCatalog(), loadFrameworks());

  it('are up to date (regenerate with `npx tsx scripts/gen-catalog-docs.ts`)', () => {
    expect(staleDocs(expected)).toEqual([]);
  });

  it('give every rule a page linked from the index, with its controls and remediation', () => {
    const catalog = loadCatalog();
    const index = expected.get('rules/README.md')!;
    for (const rule of catalog) {
      expect(index).toContain(`[${rule.id}](${rule.id}.md)`);
      expect(expected.get(`rules/${rule.id}.md`)).toContain(rule.remediation.trim());
    }
    const hipaa = expected.get('frameworks/hipaa.md')!;
    expect(hipaa).toContain('unverified (crosswalk through [nist-800-53-r5](nist-800-53-r5.md))');
    expect(expected.get('frameworks/cis-eks-1.8.md')).toMatch(/\| 4\.1\.7 \| .* \| \*\*manual\*\* \|/);
  });
});
