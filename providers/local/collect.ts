// `posture scan <paths…>`: reads local exports, recognises each document by shape and normalizes it.
// One bad file never stops the others: it becomes an InputError naming the file and the problem.
// Kubernetes objects from every file are pooled and normalized together at the end.
// A directory is walked without trusting it: what cannot be read (dangling or looping links, FIFOs,
// sockets, devices) is named and skipped, links that lead out of the directory are refused and never
// read, and no error message quotes a file's content. JSON and YAML files alike are opened
// non-blocking, must be regular and within the size limit, may start with a byte order mark, and are
// refused when nested deeper than any real export. A Helm chart is checked the same way before helm
// reads it, since helm follows links and reads every file of the chart.
import { constants } from 'node:fs';
import { lstat, open, readdir, realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import { parseAsset, type Asset } from '../../core/asset.ts';
import { normalizeKubernetesObjects } from '../kubernetes/normalize/index.ts';
import { decodeInputText, parseJsonDocument } from './json-input.ts';
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
  /** A cheap look: an OCI layout directory, or a file that starts like a tar or gzip stream. */
  looksLikeImage(file: string): Promise<boolean>;
  collect(file: string): Promise<Asset[]>;
}

/** Cloud exports and manifests are kilobytes to a few megabytes; anything far larger is not one of them. */
export const maxJsonBytes = 64 * 1024 * 1024;
/** Directory levels walked below a given directory (and inside a Helm chart). */
export const maxWalkDepth = 64;

/** The cluster name local Kubernetes manifests are filed under (asset ids k8s://manifests/…). */
export const manifestsCluster = 'manifests';

type InputKind = 'file' | 'image' | 'helm-chart' | 'kustomization';
interface Input {
  path: string;
  kind: InputKind;
  /** Named on the command line (not found by walking a directory): an unrecognised YAML file is then an error. */
  explicit: boolean;
}

/** Inside a directory only JSON, YAML and image archives are inputs (READMEs and the like are not). */
const inputName = /\.(json|ya?ml|tar|tgz|tar\.gz)$/i;
const archiveName = /\.(tar|tgz|tar\.gz)$/i;
const isYaml = (file: string) => /\.ya?ml$/i.test(file);

/** What a directory entry that is not a file or directory is, for the message naming it. */
function oddKind(info: { isFIFO(): boolean; isSocket(): boolean; isBlockDevice(): boolean; isCharacterDevice(): boolean }): string {
  if (info.isFIFO()) return 'a FIFO';
  if (info.isSocket()) return 'a socket';
  if (info.isBlockDevice()) return 'a block device';
  if (info.isCharacterDevice()) return 'a character device';
  return 'not a regular file or directory';
}

const inside = (root: string, target: string): boolean => target === root || target.startsWith(root.endsWith(path.sep) ? root : root + path.sep);

type WalkEntry = { type: 'file'; path: string; name: string; size: number } | { type: 'problem'; path: string; message: string };

/**
 * Every entry under `dir`, sorted, never leaving it: links are resolved and refused when they dangle,
 * loop or lead out; what is neither a regular file nor a directory is named. `descend` says whether to
 * walk into a directory (it may claim it as an input instead). Problems are reported, never thrown:
 * one unreadable entry must not drop its siblings.
 */
async function walkSafely(
  dir: string,
  options: { hidden: boolean; descend: (child: string) => Promise<boolean> },
  onEntry: (entry: WalkEntry) => void,
): Promise<void> {
  const root = await realpath(dir);
  const visited = new Set<string>([root]);
  const visit = async (current: string, depth: number): Promise<void> => {
    let entries;
    try {
      entries = (await readdir(current, { withFileTypes: true }))
        .filter((e) => options.hidden || !e.name.startsWith('.'))
        .sort((a, b) => a.name.localeCompare(b.name));
    } catch (err) {
      onEntry({ type: 'problem', path: current, message: `${current}: directory cannot be read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message}); skipped` });
      return;
    }
    for (const entry of entries) {
      const child = path.join(current, entry.name);
      let target = child;
      if (entry.isSymbolicLink()) {
        try {
          target = await realpath(child);
        } catch (err) {
          const code = (err as NodeJS.ErrnoException).code;
          const why = code === 'ELOOP' ? 'a symlink loop' : code === 'ENOENT' ? 'a dangling symlink' : `a symlink that cannot be followed (${code})`;
          onEntry({ type: 'problem', path: child, message: `${child}: ${why}; skipped` });
          continue;
        }
        if (!inside(root, target)) {
          onEntry({ type: 'problem', path: child, message: `${child}: symlink leads out of ${dir} (to ${target}); refused, not read` });
          continue;
        }
      }
      let info;
      try {
        info = await stat(target);
      } catch (err) {
        onEntry({ type: 'problem', path: child, message: `${child}: cannot be read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message}); skipped` });
        continue;
      }
      if (info.isDirectory()) {
        const real = entry.isSymbolicLink() ? target : await realpath(child).catch(() => child);
        if (visited.has(real)) {
          onEntry({ type: 'problem', path: child, message: `${child}: a symlink loop (leads back to ${real}); skipped` });
          continue;
        }
        visited.add(real);
        if (!(await options.descend(child))) continue;
        if (depth >= maxWalkDepth) onEntry({ type: 'problem', path: child, message: `${child}: more than ${maxWalkDepth} directory levels below ${dir}; not walked` });
        else await visit(child, depth + 1);
        continue;
      }
      if (!info.isFile()) {
        onEntry({ type: 'problem', path: child, message: `${child}: ${oddKind(info)}; skipped` });
        continue;
      }
      onEntry({ type: 'file', path: child, name: entry.name, size: info.size });
    }
  };
  await visit(dir, 0);
}

/** A directory that is one input as a whole: an image layout, a Helm chart, a kustomization; else null. */
async function directoryInput(dir: string, images: ImageInputs | undefined, explicit: boolean): Promise<Input | null> {
  if (images && (await images.looksLikeImage(dir))) return { path: dir, kind: 'image', explicit };
  // A chart's templates and a kustomization's bases are not manifests until rendered: never walk into them.
  if (isHelmChart(dir)) return { path: dir, kind: 'helm-chart', explicit };
  if (isKustomization(dir)) return { path: dir, kind: 'kustomization', explicit };
  return null;
}

/** The inputs under `dir`; what cannot be read safely is added to `problems`. */
async function walk(dir: string, images: ImageInputs | undefined, problems: InputError[]): Promise<Input[]> {
  const inputs: Input[] = [];
  const descend = async (child: string) => {
    const whole = await directoryInput(child, images, false);
    if (whole) inputs.push(whole);
    return !whole;
  };
  await walkSafely(dir, { hidden: false, descend }, (entry) => {
    if (entry.type === 'problem') problems.push({ source: entry.path, message: entry.message });
    else if (inputName.test(entry.name)) inputs.push({ path: entry.path, kind: 'file', explicit: false });
  });
  return inputs;
}

/**
 * A Helm chart is read whole by helm, which follows links: refuse it when anything in it leads out of it
 * or cannot be read as a plain file, and when its files together are larger than an input may be.
 */
async function checkChart(dir: string, limit: number): Promise<void> {
  const refusals: string[] = [];
  let bytes = 0;
  await walkSafely(dir, { hidden: true, descend: async () => true }, (entry) => {
    if (entry.type === 'problem') refusals.push(entry.message);
    else if (entry.type === 'file') bytes += entry.size;
  });
  if (refusals.length > 0) throw new Error(`${dir}: Helm chart not rendered: ${refusals.join('; ')}`);
  if (bytes > limit) throw new Error(`${dir}: Helm chart not rendered: its files hold ${bytes} bytes, more than the ${limit}-byte limit for inputs`);
}

/** Reads a file that must be regular, without blocking on a FIFO swapped in after the walk looked. */
async function readRegularFile(file: string, limit: number): Promise<Buffer> {
  const handle = await open(file, constants.O_RDONLY | constants.O_NONBLOCK);
  try {
    const info = await handle.stat();
    if (!info.isFile()) throw new Error(`${file}: ${oddKind(info)}, not a file; not read`);
    if (info.size > limit) throw new Error(`${file}: ${info.size} bytes is larger than the ${limit}-byte limit for JSON and YAML inputs`);
    return await handle.readFile();
  } finally {
    await handle.close();
  }
}

/** The documents of one input: a JSON document, the documents of a YAML stream, or a rendered chart's. */
async function documentsOf(input: Input, limit: number): Promise<unknown[]> {
  if (input.kind === 'helm-chart') {
    await checkChart(input.path, limit);
    return parseYamlDocuments(await renderHelmChart(input.path, limit), `${input.path} (helm template)`);
  }
  const bytes = await readRegularFile(input.path, limit);
  if (isYaml(input.path)) return parseYamlDocuments(decodeInputText(bytes), input.path);
  return [parseJsonDocument(bytes, input.path)];
}

/** The inputs a command-line path stands for: itself, or the inputs found by walking it. */
async function expand(p: string, images: ImageInputs | undefined, problems: InputError[]): Promise<Input[]> {
  const info = await stat(p); // a path the user named is followed even if it is a link
  if (info.isFile()) return [{ path: p, kind: 'file', explicit: true }];
  if (!info.isDirectory()) throw new Error(`${p}: ${oddKind(info)}, not a file or directory`);
  const whole = await directoryInput(p, images, true);
  if (whole) return [whole];
  return walk(p, images, problems);
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

  const collectInput = async (input: Input) => {
    if (input.kind === 'kustomization') {
      throw new Error(`${input.path}: a Kustomize directory; render it with \`kubectl kustomize ${input.path} > manifests.yaml\` (or \`kustomize build\`) and scan the output`);
    }
    if (input.kind === 'image') {
      if (!options.images) throw new Error(`${input.path}: image layouts need the image analyzer, which is not available here`);
      assets.push(...(await options.images.collect(input.path)));
      return;
    }
    if (input.kind === 'file') {
      const info = await lstat(input.path).then((l) => (l.isSymbolicLink() ? stat(input.path) : l));
      if (!info.isFile()) throw new Error(`${input.path}: ${oddKind(info)}, not a file; not read`);
      if (options.images && (await options.images.looksLikeImage(input.path))) {
        assets.push(...(await options.images.collect(input.path)));
        return;
      }
      if (archiveName.test(input.path)) {
        throw new Error(
          options.images
            ? `${input.path}: not a tar or gzip archive (expected a docker save or OCI image archive)`
            : `${input.path}: image archives need the image analyzer, which is not available here`,
        );
      }
    }
    collectDocuments(input, await documentsOf(input, limit));
  };

  const directories: string[] = [];
  const looseInputs: string[] = [];
  for (const p of paths) {
    let inputs: Input[];
    try {
      inputs = await expand(p, options.images, errors);
      if (inputs.length === 1 && inputs[0]!.path === p) looseInputs.push(p);
      else directories.push(p);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      const message = code === 'ENOENT' ? `${p}: no such file or directory` : code === 'ELOOP' ? `${p}: a symlink loop` : (err as Error).message;
      errors.push({ source: p, message });
      continue;
    }
    for (const input of inputs) {
      try {
        await collectInput(input);
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
