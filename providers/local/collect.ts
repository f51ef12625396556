// `posture scan <paths…>`: reads local exports, recognises each document by shape and normalizes it.
// One bad file never stops the others: it becomes an InputError naming the file and the problem.
// Kubernetes objects from every file are pooled and normalized together at the end.
import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { parseAsset, type Asset } from '../../core/asset.ts';
import { normalizeKubernetesObjects } from '../kubernetes/normalize/index.ts';
import { isHelmChart, isKustomization, parseYamlDocuments, renderHelmChart } from './kubernetes-inputs.ts';
import { describeAcceptedShapes, isKubernetesShape, shapes } from './shapes.ts';
import { type CollectedScope, localScopeKey } from '../../core/collection-scope.ts';

export interface InputError {
  source: string;
  message: string;
}

export interface LocalCollection {
  assets: Asset[];
  errors: InputError[];
  /** Each directory given as a whole is a scope: complete when every file in it was read. */
  scopes: CollectedScope[];
  /** Paths given one by one (files, image layouts): assets missing from them say nothing about the estate. */
  looseInputs: string[];
}

/** Hooks for inputs that are not JSON documents (container images), supplied by the image analyzer. */
export interface ImageInputs {
  looksLikeImage(file: string): Promise<boolean>;
  collect(file: string): Promise<Asset[]>;
}

/** Cloud exports and manifests are kilobytes to a few megabytes; anything far larger is not one of them. */
export const maxJsonBytes = 64 * 1024 * 1024;

/** The cluster name local Kubernetes manifests are filed under (asset ids k8s://manifests/…). */
export const manifestsCluster = 'manifests';

type InputKind = 'file' | 'image' | 'helm-chart' | 'kustomization';
interface Input {
  path: string;
  kind: InputKind;
  /** Named on the command line (not found by walking a directory): an unrecognised YAML file is then an error. */
  explicit: boolean;
}

const isYaml = (file: string) => /\.ya?ml$/i.test(file);

function jsonError(file: string, text: string, err: Error): string {
  const pos = /position (\d+)/.exec(err.message);
  if (pos) {
    const before = text.slice(0, Number(pos[1]));
    const line = before.split('\n').length;
    const column = before.length - before.lastIndexOf('\n');
    return `${file}: not valid JSON (line ${line}, column ${column}): ${err.message}`;
  }
  return `${file}: not valid JSON: ${err.message}`;
}

async function readBounded(file: string, limit: number): Promise<string> {
  const info = await stat(file);
  if (info.size > limit) throw new Error(`${file}: ${info.size} bytes is larger than the ${limit}-byte limit for JSON and YAML inputs`);
  return readFile(file, 'utf8');
}

/** The documents of one input: a JSON document, the documents of a YAML stream, or a rendered chart's. */
async function documentsOf(input: Input, limit: number): Promise<unknown[]> {
  if (input.kind === 'helm-chart') return parseYamlDocuments(await renderHelmChart(input.path, limit), `${input.path} (helm template)`);
  const text = await readBounded(input.path, limit);
  if (isYaml(input.path)) return parseYamlDocuments(text, input.path);
  try {
    return [JSON.parse(text)];
  } catch (err) {
    throw new Error(jsonError(input.path, text, err as Error));
  }
}

async function expand(p: string, images: ImageInputs | undefined, explicit: boolean): Promise<Input[]> {
  const info = await stat(p);
  if (info.isFile()) return [{ path: p, kind: 'file', explicit }];
  if (!info.isDirectory()) throw new Error(`${p}: not a file or directory`);
  if (images && (await images.looksLikeImage(p))) return [{ path: p, kind: 'image', explicit }];
  // A chart's templates and a kustomization's bases are not manifests until rendered: never walk into them.
  if (isHelmChart(p)) return [{ path: p, kind: 'helm-chart', explicit }];
  if (isKustomization(p)) return [{ path: p, kind: 'kustomization', explicit }];
  const entries = (await readdir(p)).filter((name) => !name.startsWith('.')).sort();
  const nested = await Promise.all(
    entries.map(async (name) => {
      const child = path.join(p, name);
      const childInfo = await stat(child);
      if (childInfo.isDirectory()) return expand(child, images, false);
      // Inside a directory only JSON, YAML and image archives are inputs (READMEs and the like are not).
      return /\.(json|tar|ya?ml)$/i.test(name) ? [{ path: child, kind: 'file' as const, explicit: false }] : [];
    }),
  );
  return nested.flat();
}

export async function collectLocal(paths: readonly string[], options: { images?: ImageInputs; now?: Date; maxJsonBytes?: number } = {}): Promise<LocalCollection> {
  const collectedAt = (options.now ?? new Date()).toISOString();
  const limit = options.maxJsonBytes ?? maxJsonBytes;
  const assets: Asset[] = [];
  const errors: InputError[] = [];
  const kubernetes: { object: unknown; source: string }[] = [];

  const collectDocuments = (input: Input, docs: unknown[]) => {
    const unknown: number[] = [];
    docs.forEach((doc, i) => {
      const shape = shapes.find((s) => s.matches(doc));
      if (!shape) return unknown.push(i);
      if (isKubernetesShape(shape)) {
        for (const object of shape.kubernetesObjects(doc)) kubernetes.push({ object, source: input.path });
        return;
      }
      try {
        assets.push(...shape.toAssets(doc, { collectedAt, source: input.path }).map(parseAsset));
      } catch (err) {
        errors.push({ source: input.path, message: `${input.path}: looks like ${shape.name} but could not be read: ${(err as Error).message}` });
      }
    });
    if (unknown.length === 0) return;
    // A YAML file met while walking a directory that holds nothing we read (CI config, compose files) is not an input.
    if (isYaml(input.path) && !input.explicit && unknown.length === docs.length) return;
    const which = docs.length > 1 ? ` (document${unknown.length > 1 ? 's' : ''} ${unknown.map((i) => i + 1).join(', ')})` : '';
    errors.push({ source: input.path, message: `${input.path}: unrecognised input shape${which}. Accepted: ${describeAcceptedShapes()}` });
  };

  const directories: string[] = [];
  const looseInputs: string[] = [];
  for (const p of paths) {
    let inputs: Input[];
    try {
      inputs = await expand(p, options.images, true);
      if (inputs.length === 1 && inputs[0]!.path === p) looseInputs.push(p);
      else directories.push(p);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      errors.push({ source: p, message: code === 'ENOENT' ? `${p}: no such file or directory` : (err as Error).message });
      continue;
    }
    for (const input of inputs) {
      try {
        if (input.kind === 'kustomization') {
          throw new Error(`${input.path}: a Kustomize directory; render it with \`kubectl kustomize ${input.path} > manifests.yaml\` (or \`kustomize build\`) and scan the output`);
        }
        if (input.kind === 'image' || (input.kind === 'file' && options.images && (await options.images.looksLikeImage(input.path)))) {
          assets.push(...(await options.images!.collect(input.path)));
        } else if (/\.tar$/i.test(input.path)) {
          throw new Error(`${input.path}: image archives need the image analyzer, which is not available here`);
        } else {
          collectDocuments(input, await documentsOf(input, limit));
        }
      } catch (err) {
        errors.push({ source: input.path, message: (err as Error).message });
      }
    }
  }

  if (kubernetes.length > 0) {
    const sources = new Map(kubernetes.map((k) => [k.object, k.source]));
    const found = normalizeKubernetesObjects(
      kubernetes.map((k) => k.object),
      {
        cluster: manifestsCluster,
        collectedAt,
        complete: false,
        sourceOf: (o) => sources.get(o),
        onInvalid: (p) => errors.push({ source: p.source, message: `${p.source}: ${p.object}: ${p.message}` }),
      },
    );
    assets.push(...found.map(parseAsset));
  }
  // A directory given as a whole is a scope: complete when nothing under it failed; its assets are those read from its files.
  const under = (dir: string, file: string | undefined) => file !== undefined && (file === dir || file.startsWith(`${dir.replace(/\/+$/, '')}${path.sep}`));
  const scopes = directories.map((dir) => ({
    key: localScopeKey(dir),
    complete: !errors.some((e) => under(dir, e.source)),
    assetIds: assets.filter((a) => under(dir, a.source)).map((a) => a.id),
  }));
  return { assets, errors, scopes, looseInputs };
}
