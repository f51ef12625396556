// `posture scan <paths…>`: reads local exports, recognises each by shape and normalizes it.
// One bad file never stops the others: it becomes an InputError naming the file and the problem.
import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { parseAsset, type Asset } from '../../core/asset.ts';
import { describeAcceptedShapes, shapes } from './shapes.ts';

export interface InputError {
  source: string;
  message: string;
}

export interface LocalCollection {
  assets: Asset[];
  errors: InputError[];
}

/** Hooks for inputs that are not JSON documents (container images), supplied by the image analyzer. */
export interface ImageInputs {
  looksLikeImage(file: string): Promise<boolean>;
  collect(file: string): Promise<Asset[]>;
}

/** Cloud exports are kilobytes to a few megabytes; anything far larger is not one of them. */
export const maxJsonBytes = 64 * 1024 * 1024;

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

async function collectJson(file: string, collectedAt: string, limit: number): Promise<Asset[]> {
  const info = await stat(file);
  if (info.size > limit) throw new Error(`${file}: ${info.size} bytes is larger than the ${limit}-byte limit for JSON inputs`);
  const text = await readFile(file, 'utf8');
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    throw new Error(jsonError(file, text, err as Error));
  }
  const shape = shapes.find((s) => s.matches(doc));
  if (!shape) throw new Error(`${file}: unrecognised input shape. Accepted: ${describeAcceptedShapes()}`);
  try {
    return shape.toAssets(doc, { collectedAt, source: file }).map(parseAsset);
  } catch (err) {
    throw new Error(`${file}: looks like ${shape.name} but could not be read: ${(err as Error).message}`);
  }
}

async function expand(p: string, images: ImageInputs | undefined): Promise<string[]> {
  const info = await stat(p);
  if (info.isFile()) return [p];
  if (!info.isDirectory()) throw new Error(`${p}: not a file or directory`);
  if (images && (await images.looksLikeImage(p))) return [p];
  const entries = (await readdir(p)).filter((name) => !name.startsWith('.')).sort();
  const nested = await Promise.all(
    entries.map(async (name) => {
      const child = path.join(p, name);
      const childInfo = await stat(child);
      if (childInfo.isDirectory()) return expand(child, images);
      // Inside a directory only JSON and image archives are inputs (READMEs and the like are not).
      return /\.(json|tar)$/i.test(name) ? [child] : [];
    }),
  );
  return nested.flat();
}

export async function collectLocal(paths: readonly string[], options: { images?: ImageInputs; now?: Date; maxJsonBytes?: number } = {}): Promise<LocalCollection> {
  const collectedAt = (options.now ?? new Date()).toISOString();
  const assets: Asset[] = [];
  const errors: InputError[] = [];
  for (const p of paths) {
    let files: string[];
    try {
      files = await expand(p, options.images);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      errors.push({ source: p, message: code === 'ENOENT' ? `${p}: no such file or directory` : (err as Error).message });
      continue;
    }
    for (const file of files) {
      try {
        if (options.images && (await options.images.looksLikeImage(file))) assets.push(...(await options.images.collect(file)));
        else if (/\.tar$/i.test(file)) throw new Error(`${file}: image archives need the image analyzer, which is not available here`);
        else assets.push(...(await collectJson(file, collectedAt, options.maxJsonBytes ?? maxJsonBytes)));
      } catch (err) {
        errors.push({ source: file, message: (err as Error).message });
      }
    }
  }
  return { assets, errors };
}
