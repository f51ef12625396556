// docs/coverage.md must be what the generator writes from the committed Prowler snapshot, the mapping and
// the rule catalog now, and the mapping must account for every check of the snapshot. Needs no Prowler.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../../policies/layout.ts';
import { coverageDoc, loadMapping, loadSnapshot, mappingProblems } from '../../scripts/coverage/gen-coverage-doc.ts';
import { coverageDocFile, selectContainerChecks } from '../../scripts/coverage/prowler-selection.ts';
import { loadCatalog } from '../../scripts/gen-catalog-docs.ts';

describe('docs/coverage.md', () => {
  const snapshot = loadSnapshot();
  const mapping = loadMapping();
  const catalog = loadCatalog();

  it('was taken from the Prowler release the setup script pins', () => {
    const pinned = /^PROWLER_VERSION=(\S+)$/m.exec(readFileSync(path.join(repoRoot, 'scripts/peers/prowler-setup.sh'), 'utf8'))?.[1];
    expect(snapshot.prowlerVersion).toBe(pinned);
  });

  it('maps every check of the snapshot, only those, and only to rules that exist', () => {
    expect(mappingProblems(snapshot, mapping, catalog)).toEqual([]);
    // The snapshot holds exactly the container checks (the selection is applied again here).
    expect(selectContainerChecks(snapshot.checks)).toEqual(snapshot.checks);
  });

  it('names a mapping problem instead of passing it by', () => {
    const missing = { ...snapshot, checks: [...snapshot.checks, { id: 'eks_new_check', provider: 'aws', service: 'eks', title: 'New', severity: 'high' }] };
    expect(mappingProblems(missing, mapping, catalog)).toEqual(['Prowler check eks_new_check has no entry in the mapping']);
    const unknownRule = { checks: { ...mapping.checks, ecr_repositories_tag_immutability: { rules: ['REG-999'] } } };
    expect(mappingProblems(snapshot, unknownRule, catalog)).toEqual(['mapping entry ecr_repositories_tag_immutability names REG-999, which is not in the rule catalog']);
  });

  it('is up to date (regenerate with `npx tsx scripts/coverage/gen-coverage-doc.ts`)', () => {
    expect(readFileSync(coverageDocFile, 'utf8')).toBe(coverageDoc(snapshot, mapping, catalog));
  });
});
