// One workload rule in admission terms: the Gatekeeper Rego (violation rules over input.review.object, with
// the shared helpers of lib.rego as data.lib.posture), the CEL validations of a ValidatingAdmissionPolicy
// (over `object` and the variables every exported policy declares), and a compliant and a violating pod
// that the gator suites and the tests run. One YAML file per rule under admission/rules/.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { repoRoot } from '../policies/layout.ts';

/** From the repository root, so the bundled CLI (dist/cli) finds the translations too. */
export const admissionDir = path.join(repoRoot, 'admission');

const ExamplePod = z.looseObject({
  metadata: z.looseObject({ namespace: z.string().optional() }).optional(),
  spec: z.looseObject({ containers: z.array(z.looseObject({ name: z.string() })).min(1) }),
});

export const Translation = z
  .object({
    rule: z.string().regex(/^[A-Z]+-\d{3}$/),
    gatekeeper: z.string().min(1),
    cel: z.array(z.object({ expression: z.string().min(1), message: z.string().min(1) }).strict()).min(1),
    examples: z.object({ compliant: ExamplePod, violating: ExamplePod }).strict(),
  })
  .strict();
export type Translation = z.infer<typeof Translation>;

export function loadTranslations(dir = path.join(admissionDir, 'rules')): Translation[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.yaml'))
    .sort()
    .map((f) => {
      const parsed = Translation.safeParse(parseYaml(readFileSync(path.join(dir, f), 'utf8')));
      if (!parsed.success) throw new Error(`admission/rules/${f}: ${z.prettifyError(parsed.error)}`);
      if (`${parsed.data.rule}.yaml` !== f) throw new Error(`admission/rules/${f}: names rule ${parsed.data.rule}`);
      return parsed.data;
    });
}

/** Rule id → why it is not exported. */
export function loadNotExported(file = path.join(admissionDir, 'not-exported.yaml')): Map<string, string> {
  const parsed = z.record(z.string().regex(/^[A-Z]+-\d{3}$/), z.string().min(1)).safeParse(parseYaml(readFileSync(file, 'utf8')));
  if (!parsed.success) throw new Error(`admission/not-exported.yaml: ${z.prettifyError(parsed.error)}`);
  return new Map(Object.entries(parsed.data));
}

export const gatekeeperLib = (): string => readFileSync(path.join(admissionDir, 'lib.rego'), 'utf8');
