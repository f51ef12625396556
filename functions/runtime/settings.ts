// Deploy-time settings of the worker and publisher: the scan config (posture.yaml's shape), exceptions,
// enforcement modes and publishing targets. Shipped as a file inside the function bundle so they are
// versioned and deployed with the policies (and not squeezed into Lambda's 4 KB of environment).
import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { parseConfig, type Config } from '../../core/config.ts';
import { ExceptionsConfig, ModesConfig } from '../../core/exceptions.ts';

export const WorkerSettings = z
  .object({
    config: z.unknown().optional(),
    exceptions: ExceptionsConfig,
    modes: ModesConfig,
    /** Publisher names that receive an outbox intent per publishable change. */
    publishTargets: z.array(z.string().min(1)).default([]),
  })
  .strict();

export interface Settings {
  config: Config;
  exceptions: z.infer<typeof ExceptionsConfig>;
  modes: ModesConfig;
  publishTargets: string[];
}

export function parseSettings(doc: unknown, origin: string): Settings {
  const parsed = WorkerSettings.safeParse(doc ?? {});
  if (!parsed.success) {
    throw new Error(`${origin} is invalid: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')}`);
  }
  return { ...parsed.data, config: parseConfig(parsed.data.config ?? {}, `${origin} (config)`) };
}

export function loadSettings(file: string | undefined): Settings {
  if (!file) return parseSettings({}, 'default settings');
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new Error(`cannot read settings ${file}: ${(err as Error).message}`);
  }
  let doc: unknown;
  try {
    doc = parseYaml(text);
  } catch (err) {
    throw new Error(`settings ${file} is not valid YAML/JSON: ${(err as Error).message}`);
  }
  return parseSettings(doc, `settings ${file}`);
}
