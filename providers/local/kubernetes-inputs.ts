// Kubernetes manifests as local inputs: multi-document YAML (kubectl -o yaml, kustomize build, helm
// template output, hand-written manifests), `kubectl get -o json` objects and Lists, and Helm chart
// directories rendered with `helm template` when helm is on PATH. Objects from every input are normalized
// together, so a namespace meets its network policies and a binding its role wherever they were written.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';

/** Documents per YAML input: a rendered chart has hundreds, not tens of thousands. */
export const maxYamlDocuments = 10_000;
/** YAML aliases expand in place; a handful is normal, thousands is a "billion laughs" bomb. */
const maxAliasCount = 1_000;
/** helm template gets this long and this much output before it is stopped. */
export const helmTimeoutMs = 120_000;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A Kubernetes object (apiVersion, kind, metadata) or a List of them (`kubectl get -o json|yaml`). */
export function isKubernetesDocument(doc: unknown): boolean {
  if (!isObject(doc) || typeof doc.apiVersion !== 'string' || typeof doc.kind !== 'string') return false;
  if (Array.isArray(doc.items) && doc.kind.endsWith('List')) return true;
  return isObject(doc.metadata);
}

/** The objects of a document: a List's items (kubectl get -o json|yaml of several objects), or the object itself. */
export function kubernetesObjectsOf(doc: unknown): unknown[] {
  if (isObject(doc) && Array.isArray(doc.items) && typeof doc.kind === 'string' && doc.kind.endsWith('List')) return doc.items;
  return [doc];
}

/** The documents of a YAML stream; empty documents (a trailing `---`) are dropped. Errors name the line. */
export function parseYamlDocuments(text: string, file: string): unknown[] {
  const docs = parseAllDocuments(text, { prettyErrors: true, uniqueKeys: false });
  const list = Array.isArray(docs) ? docs : [docs];
  if (list.length > maxYamlDocuments) throw new Error(`${file}: ${list.length} YAML documents is more than the limit of ${maxYamlDocuments}`);
  const out: unknown[] = [];
  list.forEach((doc, i) => {
    const error = doc.errors[0];
    if (error) {
      const where = error.linePos?.[0] ? `line ${error.linePos[0].line}, column ${error.linePos[0].col}` : `document ${i + 1}`;
      throw new Error(`${file}: not valid YAML (${where}): ${error.message.split('\n')[0]}`);
    }
    let value: unknown;
    try {
      value = doc.toJS({ maxAliasCount });
    } catch (err) {
      throw new Error(`${file}: document ${i + 1} cannot be read: ${(err as Error).message}`);
    }
    if (value !== null && value !== undefined) out.push(value);
  });
  return out;
}

export const isHelmChart = (dir: string) => existsSync(path.join(dir, 'Chart.yaml'));
export const isKustomization = (dir: string) =>
  ['kustomization.yaml', 'kustomization.yml', 'Kustomization'].some((f) => existsSync(path.join(dir, f)));

/** `helm template` of a chart directory with its default values; the error says how to do it by hand. */
export function renderHelmChart(dir: string, maxBytes: number): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      'helm',
      ['template', 'posture', dir],
      { timeout: helmTimeoutMs, maxBuffer: maxBytes, encoding: 'utf8', env: { ...process.env, HELM_NO_PLUGINS: '1' } },
      (err, stdout, stderr) => {
        if (!err) return resolve(stdout);
        const e = err as NodeJS.ErrnoException & { killed?: boolean };
        if (e.code === 'ENOENT') {
          reject(new Error(`${dir}: a Helm chart, and helm is not on PATH; render it with \`helm template NAME ${dir} > manifests.yaml\` and scan the output`));
        } else if (e.code === 'ERR_CHILD_PROCESS_STDIO_MAXBUFFER') {
          reject(new Error(`${dir}: helm template wrote more than ${maxBytes} bytes`));
        } else if (e.killed) {
          reject(new Error(`${dir}: helm template did not finish within ${helmTimeoutMs / 1000} s`));
        } else {
          reject(new Error(`${dir}: helm template failed: ${(stderr || e.message).trim().split('\n').slice(0, 3).join(' ')}`));
        }
      },
    );
  });
}
