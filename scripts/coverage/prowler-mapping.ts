// docs/coverage/prowler-mapping.yaml: Prowler's container checks (id and service, facts) beside the posture
// rules that judge the same misconfiguration, or why none does, in our own words. Read by the coverage page's
// generator, its test, the parity test and the peer script that compares it with a live Prowler install.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { repoRoot } from '../../policies/layout.ts';

export const prowlerMappingFile = path.join(repoRoot, 'docs', 'coverage', 'prowler-mapping.yaml');
export const coverageDocFile = path.join(repoRoot, 'docs', 'coverage.md');

const RuleId = z.string().regex(/^[A-Z]+-\d{3}$/);
const Entry = z.union([
  z.object({ rules: z.array(RuleId).min(1), note: z.string().min(1).optional() }).strict(),
  z.object({ reason: z.string().min(1) }).strict(),
]);
export type MappingEntry = z.infer<typeof Entry>;

const Provider = z.enum(['aws', 'azure', 'gcp']);
export type Provider = z.infer<typeof Provider>;

export const ProwlerMapping = z
  .object({
    /** The Prowler release the ids were last compared with (`npm run peer:prowler-coverage`). */
    prowler: z.string().regex(/^\d+\.\d+\.\d+$/),
    selection: z
      .object({
        services: z.record(Provider, z.array(z.string().min(1))),
        elsewhere: z.array(z.string().min(1)),
      })
      .strict(),
    checks: z.record(Provider, z.record(z.string().min(1), z.record(z.string().regex(/^[a-z0-9_]+$/), Entry))),
  })
  .strict();
export type ProwlerMapping = z.infer<typeof ProwlerMapping>;

/** One check of the mapping, flattened. */
export interface MappedCheck {
  id: string;
  provider: Provider;
  service: string;
  entry: MappingEntry;
}

export function loadMapping(file = prowlerMappingFile): ProwlerMapping {
  return ProwlerMapping.parse(parseYaml(readFileSync(file, 'utf8')));
}

export function mappedChecks(mapping: ProwlerMapping): MappedCheck[] {
  return Object.entries(mapping.checks).flatMap(([provider, services]) =>
    Object.entries(services).flatMap(([service, checks]) => Object.entries(checks).map(([id, entry]) => ({ id, provider: provider as Provider, service, entry }))),
  );
}

/** Whether Prowler's check (by provider, service and id) is one of the container checks the page lists. */
export function isContainerCheck(mapping: ProwlerMapping, check: { provider: string; service: string; id: string }): boolean {
  const services = mapping.selection.services[check.provider as Provider] ?? [];
  return services.includes(check.service) || mapping.selection.elsewhere.some((prefix) => check.id.startsWith(prefix));
}

/** What keeps the mapping honest against the rule catalog; empty when sound. */
export function mappingProblems(mapping: ProwlerMapping, ruleIds: ReadonlySet<string>): string[] {
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const c of mappedChecks(mapping)) {
    if (seen.has(c.id)) problems.push(`${c.id} is listed twice`);
    seen.add(c.id);
    if (!isContainerCheck(mapping, c)) problems.push(`${c.id} (${c.provider}/${c.service}) is outside the selection of container checks`);
    if ('rules' in c.entry) for (const r of c.entry.rules) if (!ruleIds.has(r)) problems.push(`${c.id} names ${r}, which is not in the rule catalog`);
  }
  return problems;
}

/** Ids a live Prowler listing has and the mapping lacks, and the other way round. */
export function compareWithProwler(mapping: ProwlerMapping, live: readonly { provider: string; service: string; id: string }[]): { missing: string[]; gone: string[] } {
  const ours = new Set(mappedChecks(mapping).map((c) => c.id));
  const theirs = new Set(live.filter((c) => isContainerCheck(mapping, c)).map((c) => c.id));
  return { missing: [...theirs].filter((id) => !ours.has(id)).sort(), gone: [...ours].filter((id) => !theirs.has(id)).sort() };
}
