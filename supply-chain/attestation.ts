// What an in-toto attestation says, in the terms the rules judge: an SLSA provenance's builder and source
// repositories, or an SBOM's format. Read from the statement only after its signature verified.
import type { Statement } from './sigstore-bundle.ts';

export const predicateTypes = {
  slsaV1: 'https://slsa.dev/provenance/v1',
  slsaV02: 'https://slsa.dev/provenance/v0.2',
  spdx: /^https:\/\/spdx\.dev\/Document(\/v[\d.]+)?$/,
  cyclonedx: /^https:\/\/cyclonedx\.org\/bom(\/v[\d.]+)?$/,
} as const;

export interface AttestationSummary {
  provenance: { slsaVersion: '0.2' | '1'; builderId: string | null; sourceRepositories: string[] } | null;
  sbom: { format: 'spdx' | 'cyclonedx' } | null;
}

const str = (v: unknown): string | null => (typeof v === 'string' && v.length > 0 ? v : null);
const obj = (v: unknown): Record<string, unknown> => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {});
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
/** Only git dependencies are sources; base images and packages the build resolved are not. */
const gitUri = (v: unknown): string | null => (typeof v === 'string' && v.startsWith('git+') ? v : null);

/** `git+https://github.com/acme/app@refs/heads/main` → `https://github.com/acme/app` (the repository, without ref or scheme prefix). */
export function repositoryOf(uri: string): string {
  const bare = uri.replace(/^git\+/, '');
  const at = bare.lastIndexOf('@');
  const withoutRef = at > bare.indexOf('://') + 3 ? bare.slice(0, at) : bare;
  return withoutRef.replace(/\.git$/, '');
}

export function summarize(statement: Statement): AttestationSummary {
  const p = obj(statement.predicate);
  const type = statement.predicateType;
  if (type === predicateTypes.slsaV1) {
    const build = obj(p.buildDefinition);
    const workflow = obj(obj(build.externalParameters).workflow);
    const sources = [str(workflow.repository), ...arr(build.resolvedDependencies).map((d) => gitUri(obj(d).uri))].filter((s): s is string => s !== null);
    return { provenance: { slsaVersion: '1', builderId: str(obj(obj(p.runDetails).builder).id), sourceRepositories: [...new Set(sources.map(repositoryOf))].slice(0, 256) }, sbom: null };
  }
  if (type === predicateTypes.slsaV02) {
    const sources = [str(obj(obj(p.invocation).configSource).uri), ...arr(p.materials).map((m) => gitUri(obj(m).uri))].filter((s): s is string => s !== null);
    return { provenance: { slsaVersion: '0.2', builderId: str(obj(p.builder).id), sourceRepositories: [...new Set(sources.map(repositoryOf))].slice(0, 256) }, sbom: null };
  }
  if (predicateTypes.spdx.test(type)) return { provenance: null, sbom: { format: 'spdx' } };
  if (predicateTypes.cyclonedx.test(type)) return { provenance: null, sbom: { format: 'cyclonedx' } };
  return { provenance: null, sbom: null };
}
