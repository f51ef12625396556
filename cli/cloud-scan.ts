// `posture scan --aws / --azure / --gcp`: collect from the clouds with ambient credentials
// (SDK default chain, DefaultAzureCredential, Application Default Credentials).
import type { Asset } from '../core/asset.ts';
import type { Config } from '../core/config.ts';
import type { ScanError } from '../core/scan.ts';
import { collectAws } from '../providers/aws/index.ts';
import { collectAzure } from '../providers/azure/index.ts';
import { collectGcp } from '../providers/gcp/index.ts';

export interface CloudFlags {
  aws?: boolean;
  regions?: string[];
  accounts?: string[];
  /** true → subscriptions from config; a list → those subscriptions. */
  azure?: boolean | string[];
  /** true → projects from config; a list → those projects. */
  gcp?: boolean | string[];
}

export function wantsCloud(flags: CloudFlags): boolean {
  return Boolean(flags.aws || flags.azure || flags.gcp);
}

const listed = (value: boolean | string[] | undefined): string[] | undefined => (Array.isArray(value) ? value : undefined);

/** Every cloud asked for, collected concurrently; a failure in one cloud is an error for that cloud only. */
export async function collectClouds(flags: CloudFlags, config: Config): Promise<{ assets: Asset[]; errors: ScanError[] }> {
  const runs: Promise<{ assets: Asset[]; errors: { scope: string; message: string }[] }>[] = [];
  const names: string[] = [];
  if (flags.aws) {
    names.push('aws');
    runs.push(collectAws({ settings: config.aws, ...(flags.regions ? { regions: flags.regions } : {}), ...(flags.accounts ? { accounts: flags.accounts } : {}) }));
  }
  if (flags.azure) {
    names.push('azure');
    const subscriptions = listed(flags.azure);
    runs.push(collectAzure({ settings: subscriptions ? { ...config.azure, subscriptions } : config.azure }));
  }
  if (flags.gcp) {
    names.push('gcp');
    const projects = listed(flags.gcp);
    runs.push(collectGcp({ settings: projects ? { ...config.gcp, projects } : config.gcp }));
  }
  const settled = await Promise.allSettled(runs);
  const assets: Asset[] = [];
  const errors: ScanError[] = [];
  settled.forEach((outcome, i) => {
    if (outcome.status === 'fulfilled') {
      assets.push(...outcome.value.assets);
      errors.push(...outcome.value.errors.map((e) => ({ source: e.scope, message: `${e.scope}: ${e.message}` })));
    } else {
      errors.push({ source: names[i] ?? 'cloud', message: `${names[i]}: ${(outcome.reason as Error).message}` });
    }
  });
  return { assets, errors };
}
