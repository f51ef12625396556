// docs/coverage.md must be what the generator writes from the hand-written mapping and the rule catalog now,
// and the mapping must hold only container checks, each once, naming only rules that exist. Needs no Prowler:
// the peer script (npm run peer:prowler-coverage) compares the mapping's ids with a live install.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../../policies/layout.ts';
import { coverageDoc } from '../../scripts/coverage/gen-coverage-doc.ts';
import { compareWithProwler, coverageDocFile, loadMapping, mappedChecks, mappingProblems } from '../../scripts/coverage/prowler-mapping.ts';
import { loadCatalog } from '../../scripts/gen-catalog-docs.ts';

const mapping = loadMapping();
const catalog = loadCatalog();
const ruleIds = new Set(catalog.map((r) => r.id));

describe('docs/coverage.md and its mapping', () => {
  it('was written against the Prowler release the peer script installs', () => {
    const pinned = /^PROWLER_VERSION=(\S+)$/m.exec(readFileSync(path.join(repoRoot, 'scripts/peers/prowler-setup.sh'), 'utf8'))?.[1];
    expect(mapping.prowler).toBe(pinned);
  });

  it('maps container checks only, each once, to rules that exist', () => {
    expect(mappingProblems(mapping, ruleIds)).toEqual([]);
    // ECR, ECS, EKS, AKS, ACR, GKE, Artifact Registry and Container Registry each have checks listed.
    const services = new Set(mappedChecks(mapping).map((c) => `${c.provider}/${c.service}`));
    for (const s of ['aws/ecr', 'aws/ecs', 'aws/eks', 'azure/aks', 'azure/containerregistry', 'gcp/gke', 'gcp/artifacts', 'gcp/gcr']) expect(services).toContain(s);
  });

  it('names a mapping problem instead of passing it by', () => {
    const broken = structuredClone(mapping);
    broken.checks.aws!.ecr!.ecr_repositories_tag_immutability = { rules: ['REG-999'] };
    broken.checks.aws!.iam = { iam_root_mfa_enabled: { reason: 'not a container check' } };
    expect(mappingProblems(broken, ruleIds)).toEqual([
      'ecr_repositories_tag_immutability names REG-999, which is not in the rule catalog',
      'iam_root_mfa_enabled (aws/iam) is outside the selection of container checks',
    ]);
  });

  it('finds a check a Prowler listing has and the mapping lacks, and one the mapping has and Prowler dropped', () => {
    const listed = mappedChecks(mapping).map(({ provider, service, id }) => ({ provider, service, id }));
    expect(compareWithProwler(mapping, listed)).toEqual({ missing: [], gone: [] });
    const newer = [...listed.filter((c) => c.id !== 'gke_cluster_no_default_service_account'), { provider: 'aws', service: 'eks', id: 'eks_cluster_new_setting' }, { provider: 'aws', service: 'iam', id: 'iam_unrelated' }];
    expect(compareWithProwler(mapping, newer)).toEqual({ missing: ['eks_cluster_new_setting'], gone: ['gke_cluster_no_default_service_account'] });
  });

  it('is up to date (regenerate with `npx tsx scripts/coverage/gen-coverage-doc.ts`)', () => {
    expect(readFileSync(coverageDocFile, 'utf8')).toBe(coverageDoc(mapping, catalog));
  });
});
