// The OSV record (ossf/osv-schema, docs/vulnerabilities.md keeps the fields we rely on), validated at the
// boundary with what matching needs; unknown fields are kept out of the store. A record that does not
// parse is reported by id and file and skipped, never half-read.
import { z } from 'zod';

const Event = z.union([
  z.object({ introduced: z.string().min(1) }).strict(),
  z.object({ fixed: z.string().min(1) }).strict(),
  z.object({ last_affected: z.string().min(1) }).strict(),
  z.object({ limit: z.string().min(1) }).strict(),
]);
export type OsvEvent = z.infer<typeof Event>;

const Range = z
  .object({
    type: z.enum(['SEMVER', 'ECOSYSTEM', 'GIT']),
    repo: z.string().optional(),
    events: z.array(Event).max(10_000),
  })
  .loose();
export type OsvRange = z.infer<typeof Range>;

const Severity = z.object({ type: z.string(), score: z.string() }).loose();
export type OsvSeverity = z.infer<typeof Severity>;

const Affected = z
  .object({
    package: z.object({ ecosystem: z.string().min(1), name: z.string().min(1), purl: z.string().optional() }).loose().optional(),
    severity: z.array(Severity).optional(),
    ranges: z.array(Range).max(10_000).optional(),
    versions: z.array(z.string()).max(100_000).optional(),
    ecosystem_specific: z.record(z.string(), z.unknown()).optional(),
    database_specific: z.record(z.string(), z.unknown()).optional(),
  })
  .loose();
export type OsvAffected = z.infer<typeof Affected>;

export const OsvRecord = z
  .object({
    schema_version: z.string().optional(),
    id: z.string().min(1).max(256),
    modified: z.string(),
    published: z.string().optional(),
    withdrawn: z.string().optional(),
    aliases: z.array(z.string()).max(1000).optional(),
    related: z.array(z.string()).optional(),
    upstream: z.array(z.string()).optional(),
    summary: z.string().optional(),
    details: z.string().optional(),
    severity: z.array(Severity).optional(),
    affected: z.array(Affected).max(100_000).optional(),
    references: z.array(z.object({ type: z.string(), url: z.string() }).loose()).optional(),
    database_specific: z.record(z.string(), z.unknown()).optional(),
  })
  .loose();
export type OsvRecord = z.infer<typeof OsvRecord>;

export class OsvRecordError extends Error {
  override name = 'OsvRecordError';
}

export function parseOsvRecord(value: unknown, origin: string): OsvRecord {
  const parsed = OsvRecord.safeParse(value);
  if (!parsed.success) throw new OsvRecordError(`${origin} is not an OSV record: ${z.prettifyError(parsed.error).slice(0, 500)}`);
  return parsed.data;
}

/** Package names compare as their registry does: PyPI names are case-, `-`, `_` and `.`-insensitive (PEP 503). */
export function normalizePackageName(ecosystem: string, name: string): string {
  const base = ecosystem.split(':')[0];
  if (base === 'PyPI') return name.toLowerCase().replace(/[-_.]+/g, '-');
  return name;
}
