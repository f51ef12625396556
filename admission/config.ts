// posture.yaml `admission`: how `posture export admission` enforces each rule. The graduated modes follow
// the ones findings use (a rule's own entry wins, else the strictest of its frameworks', else the default):
//   audit   → Gatekeeper enforcementAction dryrun, ValidatingAdmissionPolicyBinding validationActions [Audit]
//   warn    → warn / [Warn]     (the request is admitted and the client shown a warning)
//   enforce → deny / [Deny]     (the request is refused)
import { z } from 'zod';

export const AdmissionMode = z.enum(['audit', 'warn', 'enforce']);
export type AdmissionMode = z.infer<typeof AdmissionMode>;

export const AdmissionConfig = z
  .object({
    modes: z
      .object({
        default: AdmissionMode.default('audit'),
        /** Framework id → mode; a rule in several frameworks takes the strictest. */
        frameworks: z.record(z.string(), AdmissionMode).default({}),
        /** Rule id (or an earlier alias) → mode; wins over frameworks. */
        rules: z.record(z.string(), AdmissionMode).default({}),
      })
      .strict()
      .prefault({}),
    /** Namespaces admission never judges (the platform's own); default: kubernetes.systemNamespaces. */
    excludedNamespaces: z.array(z.string().min(1)).optional(),
  })
  .strict()
  .prefault({});
export type AdmissionConfig = z.infer<typeof AdmissionConfig>;

const rank: Record<AdmissionMode, number> = { audit: 0, warn: 1, enforce: 2 };

/** The mode for one rule, resolved like finding modes (core/exceptions.ts modeFor). */
export function admissionModeFor(rule: { id: string; aliases?: readonly string[]; frameworks: Record<string, unknown> }, config: AdmissionConfig): AdmissionMode {
  const byRule = [rule.id, ...(rule.aliases ?? [])].map((id) => config.modes.rules[id]).find((m) => m !== undefined);
  if (byRule) return byRule;
  const byFramework = Object.keys(rule.frameworks)
    .map((f) => config.modes.frameworks[f])
    .filter((m): m is AdmissionMode => m !== undefined);
  if (byFramework.length === 0) return config.modes.default;
  return byFramework.reduce((a, b) => (rank[b] > rank[a] ? b : a));
}

export const gatekeeperAction: Record<AdmissionMode, 'dryrun' | 'warn' | 'deny'> = { audit: 'dryrun', warn: 'warn', enforce: 'deny' };
export const vapActions: Record<AdmissionMode, ('Audit' | 'Warn' | 'Deny')[]> = { audit: ['Audit'], warn: ['Warn'], enforce: ['Deny'] };
