// `posture export admission`: the baseline's workload rules as Gatekeeper ConstraintTemplates and
// Constraints, and as ValidatingAdmissionPolicies with their bindings, each enforced in the rule's graduated
// mode (posture.yaml admission.modes). Every workload rule that applies to Kubernetes is either exported
// (admission/rules/<ID>.yaml) or listed with the reason it is not; the result says which.
import { stringify } from 'yaml';
import type { CatalogRule } from '../policies/catalog.ts';
import { admissionModeFor, gatekeeperAction, vapActions, type AdmissionConfig, type AdmissionMode } from './config.ts';
import { celList, parameterValues } from './parameters.ts';
import { examplesOf, gatekeeperLib, loadNotExported, loadTranslations, type Example, type Translation } from './translation.ts';

export interface ExportedFile {
  path: string;
  content: string;
}

export interface AdmissionExport {
  files: ExportedFile[];
  exported: { rule: string; mode: AdmissionMode; gatekeeper: string; vap: string }[];
  notExported: { rule: string; reason: string }[];
}

export interface ExportOptions {
  admission: AdmissionConfig;
  /** The parsed posture.yaml, for the rules that read data from it (translation parameters). */
  config: unknown;
  /** Namespaces left alone when admission.excludedNamespaces is not set (kubernetes.systemNamespaces). */
  systemNamespaces: readonly string[];
}

const kubernetesWorkload = (r: CatalogRule) => r.kind.includes('workload') && (!r.applies?.platform || r.applies.platform.includes('kubernetes'));

// Every exported policy declares these; a rule's CEL reads what it needs.
const celVariables = [
  {
    name: 'containers',
    expression:
      'object.spec.containers + (has(object.spec.initContainers) ? object.spec.initContainers : []) + (has(object.spec.ephemeralContainers) ? object.spec.ephemeralContainers : [])',
  },
  { name: 'resourceContainers', expression: 'object.spec.containers + (has(object.spec.initContainers) ? object.spec.initContainers : [])' },
  { name: 'windows', expression: "has(object.spec.os) && object.spec.os.name == 'windows'" },
  {
    name: 'defaultCapabilities',
    expression: "['AUDIT_WRITE', 'CHOWN', 'DAC_OVERRIDE', 'FOWNER', 'FSETID', 'KILL', 'MKNOD', 'NET_BIND_SERVICE', 'SETFCAP', 'SETGID', 'SETPCAP', 'SETUID', 'SYS_CHROOT']",
  },
];

export function exportAdmission(catalog: readonly CatalogRule[], options: ExportOptions): AdmissionExport {
  const translations = new Map(loadTranslations().map((t) => [t.rule, t]));
  const reasons = loadNotExported();
  const excluded = options.admission.excludedNamespaces ?? [...options.systemNamespaces];
  const out: AdmissionExport = { files: [], exported: [], notExported: [] };
  const byId = new Map(catalog.map((r) => [r.id, r]));
  for (const id of [...translations.keys(), ...reasons.keys()]) {
    if (!byId.has(id)) throw new Error(`admission/: ${id} is not a rule of the catalog`);
  }
  const suite: unknown[] = [];
  for (const rule of [...catalog].sort((a, b) => a.id.localeCompare(b.id))) {
    if (!rule.kind.includes('workload')) continue;
    if (!kubernetesWorkload(rule)) {
      out.notExported.push({ rule: rule.id, reason: `applies only to ${rule.applies?.platform?.join(', ')} workloads, which Kubernetes admission never sees` });
      continue;
    }
    const t = translations.get(rule.id);
    if (!t) {
      const reason = reasons.get(rule.id);
      if (!reason) throw new Error(`${rule.id} applies to Kubernetes workloads but has neither admission/rules/${rule.id}.yaml nor an entry in admission/not-exported.yaml`);
      out.notExported.push({ rule: rule.id, reason });
      continue;
    }
    const mode = admissionModeFor(rule, options.admission);
    const names = namesOf(rule.id);
    const parameters = t.parameters.map((p) => ({ spec: p, values: parameterValues(p, options.config) }));
    out.files.push(
      { path: `gatekeeper/templates/${names.template}.yaml`, content: yaml(constraintTemplate(rule, t, names)) },
      { path: `gatekeeper/constraints/${names.template}.yaml`, content: yaml(constraint(rule, names, mode, excluded, parameters)) },
      ...examplesOf(t).map((e) => ({ path: `gatekeeper/samples/${names.template}-${e.name}.yaml`, content: yaml(examplePod(t, e)) })),
      { path: `vap/${names.vap}.yaml`, content: `${yaml(vap(rule, t, names, parameters))}---\n${yaml(binding(rule, names, mode, excluded))}` },
    );
    suite.push({
      name: rule.id,
      template: `templates/${names.template}.yaml`,
      constraint: `constraints/${names.template}.yaml`,
      cases: examplesOf(t).map((e) => ({ name: e.name, object: `samples/${names.template}-${e.name}.yaml`, assertions: [{ violations: e.violates ? 'yes' : 'no' }] })),
    });
    out.exported.push({ rule: rule.id, mode, gatekeeper: names.kind, vap: names.vap });
  }
  out.files.push({
    path: 'gatekeeper/suite.yaml',
    content: yaml({ kind: 'Suite', apiVersion: 'test.gatekeeper.sh/v1alpha1', metadata: { name: 'posture' }, tests: suite }),
  });
  out.files.push({ path: 'NOT-EXPORTED.md', content: notExportedText(out.notExported) });
  return out;
}

function namesOf(id: string): { kind: string; template: string; vap: string } {
  const kind = `Posture${id.replace('-', '')[0]}${id.replace('-', '').slice(1).toLowerCase()}`; // WKL-001 → PostureWkl001
  return { kind, template: kind.toLowerCase(), vap: `posture-${id.toLowerCase()}` };
}

const labels = (rule: CatalogRule) => ({ 'app.kubernetes.io/managed-by': 'posture', 'posture.dev/rule': rule.id });
const annotations = (rule: CatalogRule) => ({ 'posture.dev/title': rule.title, 'posture.dev/severity': rule.severity });

function constraintTemplate(rule: CatalogRule, t: Translation, names: ReturnType<typeof namesOf>) {
  return {
    apiVersion: 'templates.gatekeeper.sh/v1',
    kind: 'ConstraintTemplate',
    metadata: { name: names.template, labels: labels(rule), annotations: annotations(rule) },
    spec: {
      crd: {
        spec: {
          names: { kind: names.kind },
          ...(t.parameters.length
            ? { validation: { openAPIV3Schema: { type: 'object', properties: Object.fromEntries(t.parameters.map((p) => [p.name, { type: 'array', items: { type: 'string' } }])) } } }
            : {}),
        },
      },
      targets: [
        {
          target: 'admission.k8s.gatekeeper.sh',
          rego: `package ${names.template}\n\nimport data.lib.posture\n\n${t.gatekeeper.trim()}\n`,
          libs: [gatekeeperLib()],
        },
      ],
    },
  };
}

type Resolved = { spec: Translation['parameters'][number]; values: string[] }[];

function constraint(rule: CatalogRule, names: ReturnType<typeof namesOf>, mode: AdmissionMode, excluded: readonly string[], parameters: Resolved) {
  return {
    apiVersion: 'constraints.gatekeeper.sh/v1beta1',
    kind: names.kind,
    metadata: { name: names.vap, labels: labels(rule), annotations: { ...annotations(rule), 'posture.dev/mode': mode } },
    spec: {
      enforcementAction: gatekeeperAction[mode],
      match: { kinds: [{ apiGroups: [''], kinds: ['Pod'] }], ...(excluded.length ? { excludedNamespaces: [...excluded] } : {}) },
      ...(parameters.length ? { parameters: Object.fromEntries(parameters.map((p) => [p.spec.name, p.values])) } : {}),
    },
  };
}

function vap(rule: CatalogRule, t: Translation, names: ReturnType<typeof namesOf>, parameters: Resolved) {
  return {
    apiVersion: 'admissionregistration.k8s.io/v1',
    kind: 'ValidatingAdmissionPolicy',
    metadata: { name: names.vap, labels: labels(rule), annotations: annotations(rule) },
    spec: {
      failurePolicy: 'Fail',
      matchConstraints: { resourceRules: [{ apiGroups: [''], apiVersions: ['v1'], operations: ['CREATE', 'UPDATE'], resources: ['pods'] }] },
      variables: [...celVariables, ...parameters.map((p) => ({ name: p.spec.name, expression: celList(p.spec, p.values) })), ...t.celVariables],
      validations: t.cel.map((v) => ({ expression: v.expression, message: v.message, reason: 'Forbidden' })),
    },
  };
}

function binding(rule: CatalogRule, names: ReturnType<typeof namesOf>, mode: AdmissionMode, excluded: readonly string[]) {
  return {
    apiVersion: 'admissionregistration.k8s.io/v1',
    kind: 'ValidatingAdmissionPolicyBinding',
    metadata: { name: names.vap, labels: labels(rule), annotations: { 'posture.dev/mode': mode } },
    spec: {
      policyName: names.vap,
      validationActions: vapActions[mode],
      ...(excluded.length
        ? { matchResources: { namespaceSelector: { matchExpressions: [{ key: 'kubernetes.io/metadata.name', operator: 'NotIn', values: [...excluded] }] } } }
        : {}),
    },
  };
}

/** One of the rule's example pods as a complete Pod (gator and the API server need apiVersion, kind and a name). */
export function examplePod(t: Translation, which: 'compliant' | 'violating' | Example): Record<string, unknown> {
  const example = typeof which === 'string' ? { name: which, pod: t.examples[which] } : which;
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    ...example.pod,
    metadata: { namespace: 'shop', ...example.pod.metadata, name: `${t.rule.toLowerCase()}-${example.name}` },
  };
}

function notExportedText(list: AdmissionExport['notExported']): string {
  return ['# Workload rules not exported to admission', '', '| rule | why |', '|---|---|', ...list.map((n) => `| ${n.rule} | ${n.reason.replace(/\|/g, '\\|')} |`), ''].join('\n');
}

const yaml = (doc: unknown) => stringify(doc, { lineWidth: 0 });
