// Kubernetes manifests as local inputs: multi-document YAML (kubectl -o yaml, kustomize build, helm
// template output, hand-written manifests), `kubectl get -o json` objects and Lists, and Helm chart
// directories rendered with `helm template` when helm is on PATH. Objects from every input are normalized
// together, so a namespace meets its network policies and a binding its role wherever they were written.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { isCollection, isPair, parseAllDocuments, type Document } from 'yaml';
import { lineAndColumn, maxJsonDepth } from './json-input.ts';

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

/** Where a document's collections nest deeper than `max` (offset of the first such one), or null. Iterative. */
function excessiveYamlNesting(doc: Document.Parsed, max: number): number | null {
  const stack: [unknown, number][] = [[doc.contents, 1]];
  while (stack.length > 0) {
    const [node, depth] = stack.pop()!;
    if (!isCollection(node)) continue;
    if (depth > max) return node.range?.[0] ?? 0;
    for (const item of node.items as unknown[]) {
      if (isPair(item)) stack.push([item.key, depth + 1], [item.value, depth + 1]);
      else stack.push([item, depth + 1]);
    }
  }
  return null;
}

/**
 * The documents of a YAML stream; empty documents (a trailing `---`) are dropped. A byte order mark is
 * accepted; nesting deeper than JSON inputs may nest is refused with the file and place named (the
 * library reports a stack overflow at about 1,000 levels, which is the same refusal); errors say where
 * and what kind of mistake, without quoting the content.
 */
export function parseYamlDocuments(text: string, file: string): unknown[] {
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const docs = parseAllDocuments(text, { prettyErrors: false, uniqueKeys: false });
  const list = Array.isArray(docs) ? docs : [docs];
  if (list.length > maxYamlDocuments) throw new Error(`${file}: ${list.length} YAML documents is more than the limit of ${maxYamlDocuments}`);
  const tooDeep = (offset: number) => new Error(`${file}: YAML nested deeper than ${maxJsonDepth} levels (${lineAndColumn(text, offset)}); refused`);
  const out: unknown[] = [];
  list.forEach((doc, i) => {
    const error = doc.errors[0];
    if (error) {
      if (error.code === 'RESOURCE_EXHAUSTION') throw tooDeep(error.pos[0]);
      const where = lineAndColumn(text, error.pos[0]);
      // The library's first sentence names the mistake; anything after a colon may quote the input.
      const kind = (error.message.split('\n')[0] ?? '').replace(/ at line \d+, column \d+.*$/, '').replace(/:.*$/, '').replace(/[^\x20-\x7e]/g, '?');
      throw new Error(`${file}: not valid YAML (${where}): ${kind}`);
    }
    const deep = excessiveYamlNesting(doc, maxJsonDepth);
    if (deep !== null) throw tooDeep(deep);
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
