// Which Prowler checks are "container checks" for docs/coverage.md, and where their snapshot lives.
// The selection is by Prowler's own service names, so a check Prowler adds to one of these services
// shows up as unmapped (and fails the staleness test) the next time the snapshot is taken.
import path from 'node:path';
import { z } from 'zod';
import { repoRoot } from '../../policies/layout.ts';

export const coverageDir = path.join(repoRoot, 'docs', 'coverage');
export const prowlerSnapshotFile = path.join(coverageDir, 'prowler-checks.json');
export const prowlerMappingFile = path.join(coverageDir, 'prowler-mapping.yaml');
export const coverageDocFile = path.join(repoRoot, 'docs', 'coverage.md');

export const ProwlerCheck = z.object({ id: z.string(), provider: z.string(), service: z.string(), title: z.string(), severity: z.string() });
export type ProwlerCheck = z.infer<typeof ProwlerCheck>;

export const ProwlerSnapshot = z.object({ prowlerVersion: z.string(), checks: z.array(ProwlerCheck) });
export type ProwlerSnapshot = z.infer<typeof ProwlerSnapshot>;

/** Prowler services that are containers, clusters or container registries, per cloud. */
export const containerServices: Record<string, readonly string[]> = {
  aws: ['ecr', 'ecs', 'eks'],
  azure: ['aks', 'containerregistry'],
  gcp: ['gke', 'artifacts', 'gcr'],
};

/** Checks of other services that judge containers: GuardDuty's EKS protections, Defender for Containers. */
const containerChecksElsewhere = [/^guardduty_eks_/, /^defender_container/, /^defender_ensure_defender_for_containers/];

export function isContainerCheck(check: ProwlerCheck): boolean {
  return (containerServices[check.provider] ?? []).includes(check.service) || containerChecksElsewhere.some((p) => p.test(check.id));
}

export function selectContainerChecks(checks: readonly ProwlerCheck[]): ProwlerCheck[] {
  return checks.filter(isContainerCheck).sort((a, b) => a.provider.localeCompare(b.provider) || a.service.localeCompare(b.service) || a.id.localeCompare(b.id));
}
