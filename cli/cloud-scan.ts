// `posture scan --aws / --azure / --gcp …`: collect the providers asked for with ambient credentials (SDK
// default chain, DefaultAzureCredential, Application Default Credentials, a kubeconfig), through the same
// orchestration the Lambda sweep runs (providers/orchestrate.ts). Each provider declares its own options.
import type { Asset } from '../core/asset.ts';
import type { Config } from '../core/config.ts';
import { ConfigError } from '../core/config-error.ts';
import type { CollectedScope } from '../core/collection-scope.ts';
import type { ScanError } from '../core/scan.ts';
import type { ImagePullOptions } from '../providers/orchestrate.ts';
import { allProviders, type ProviderId, type SettingsMap } from '../providers/registry.ts';

/** Parsed command-line options; each provider reads its own (`aws`, `regions`, `azure`, …). */
export type CloudFlags = Readonly<Record<string, unknown>>;

export function wantedProviders(flags: CloudFlags): ProviderId[] {
  return allProviders()
    .filter((p) => p.cli.wanted(flags))
    .map((p) => p.id);
}

export function wantsCloud(flags: CloudFlags): boolean {
  return wantedProviders(flags).length > 0;
}

/** Every provider asked for, collected concurrently; a provider that cannot start is an error for that provider only. */
export async function collectClouds(
  flags: CloudFlags,
  config: Config,
  images: ImagePullOptions['options'] = {},
): Promise<{ assets: Asset[]; errors: ScanError[]; scopes: CollectedScope[] }> {
  const ids = wantedProviders(flags);
  const settings: SettingsMap = {};
  for (const provider of allProviders()) {
    (settings as Record<string, unknown>)[provider.id] = ids.includes(provider.id) ? provider.cli.settings(flags, config[provider.id]) : config[provider.id];
  }
  // A setting that cannot work (a malformed --regions value, no subscriptions named) is a usage error
  // (exit 2), not a cloud that could not be read (exit 3): checked before anything is called.
  for (const id of ids) {
    const parsed = allProviders().find((p) => p.id === id)!.settings.safeParse((settings as Record<string, unknown>)[id] ?? {});
    if (!parsed.success) throw new ConfigError(`${id} settings are invalid:\n${parsed.error.issues.map((i) => `  ${i.path.join('.') || '(root)'}: ${i.message}`).join('\n')}`);
  }
  const { collectProviders } = await import('../providers/orchestrate.ts');
  const run = await collectProviders(ids, { settings, images: { options: images } });
  const misconfigured = run.failures.find((f) => f.error instanceof ConfigError);
  if (misconfigured) throw misconfigured.error;
  return {
    assets: run.assets,
    errors: [
      ...run.errors.map((e) => ({ source: e.scope, message: `${e.scope}: ${e.message}` })),
      ...run.failures.map((f) => ({ source: f.provider, message: `${f.provider}: ${f.error.message}` })),
    ],
    // Images are left out of a scope's assets: a scope reads the newest images of each repository, so an older
    // image missing from it has not gone away.
    scopes: run.scopes.map((s) => ({ key: s.key, complete: s.status === 'complete', assetIds: s.assets.filter((a) => a.kind !== 'image').map((a) => a.id) })),
  };
}
