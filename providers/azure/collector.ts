// The Azure scope collector behind the provider declaration: one subscription per scope.
import type { CollectorContext, CollectorModule, Scope, ScopeCollector, ScopeResult } from '../provider.ts';
import { collectAzureSubscription, newAzureRun } from './collect.ts';
import { azureCredential } from './credentials.ts';
import { ErrorLog } from './errors.ts';
import type { AzureAccess, AzureDeployment } from './provider.ts';
import { AzureSettings } from './settings.ts';
import { ConfigError } from '../../core/config-error.ts';

function createCollector(ctx: CollectorContext<AzureSettings, AzureDeployment, AzureAccess>): ScopeCollector {
  const settings = AzureSettings.parse(ctx.settings);
  const run = newAzureRun(settings, ctx.access.credential ?? azureCredential(settings), ctx.access.tls);
  return {
    async discover() {
      if (settings.subscriptions.length === 0) throw new ConfigError('azure.subscriptions is empty: name the subscriptions to scan in the config (azure: {subscriptions: [<id>]}) or after --azure');
      return { scopes: settings.subscriptions.map((s): Scope => ({ provider: 'azure', account: s.toLowerCase(), region: '' })), errors: [] };
    },
    async collect(scope: Scope): Promise<ScopeResult> {
      const errors = new ErrorLog();
      const { assets, images } = await collectAzureSubscription(run, scope.account, errors, ctx.now());
      return { assets, errors: errors.list(), images };
    },
  };
}

export const collector: CollectorModule<AzureSettings, AzureDeployment, AzureAccess> = { createCollector };
