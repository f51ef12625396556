// One workload rule in admission terms: the Gatekeeper Rego (violation rules over input.review.object, with
// the shared helpers of lib.rego as data.lib.posture), the CEL validations of a ValidatingAdmissionPolicy
// (over `object` and the variables every exported policy declares), and a compliant and a violating pod
// that the gator suites and the tests run. One YAML file per rule under admission/rules/.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { repoRoot } from '../policies/layout.ts';
import { Parameter } from './parameters.ts';

/** From the repository root, so the bundled CLI (dist/cli) finds the translations too. */
export const admissionDir = path.join(repoRoot, 'admission');

const ExamplePod = z.looseObject({
  metadata: z.looseObject({ namespace: z.string().optional() }).optional(),
  spec: z.looseObject({ containers: z.array(z.looseObject({ name: z.string() })).min(1) }),
});

export const Translation = z
  .object({
    rule: z.string().regex(/^[A-Z]+-\d{3}$/),
    /** Data the rule reads from posture.yaml, passed to the exported policies. */
    parameters: z.array(Parameter).default([]),
    gatekeeper: z.string().min(1),
    /** Variables of this rule's ValidatingAdmissionPolicy, after the shared ones and the parameters, in order. */
    celVariables: z.array(z.object({ name: z.string().regex(/^[a-z][A-Za-z0-9]*$/), expression: z.string().min(1) }).strict()).default([]),
    cel: z.array(z.object({ expression: z.string().min(1), message: z.string().min(1) }).strict()).min(1),
    examples: z.object({ compliant: ExamplePod, violating: ExamplePod }).strict(),
    /**
     * More pods at the rule's edges (a container's setting overriding the pod's, an init container, a
     * legacy annotation …), each with the verdict the rule's own text gives it; run like the two examples.
     */
    /**
     * Set when the API server's own validation already refuses the violating pod (newer Kubernetes versions
     * made some Pod Security controls invalid input): a substring of that refusal, which the tests expect
     * instead of the policy's warning. The policy still matters on older API servers and in Gatekeeper.
     */
    apiServerRefusesViolating: z.string().min(1).optional(),
    cases: z.array(z.object({ name: z.string().regex(/^[a-z0-9-]+$/), violates: z.boolean(), pod: ExamplePod }).strict()).default([]),
  })
  .strict();
export type Translation = z.infer<typeof Translation>;

export interface Example {
  /** `compliant`, `violating`, or the case's name. */
  name: string;
  violates: boolean;
  pod: z.infer<typeof ExamplePod>;
}

/** The two examples and every case, in that order. */
export function examplesOf(t: Translation): Example[] {
  return [
    { name: 'compliant', violates: false, pod: t.examples.compliant },
    { name: 'violating', violates: true, pod: t.examples.violating },
    ...t.cases.map((c) => ({ name: c.name, violates: c.violates, pod: c.pod })),
  ];
}

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
