// The Google Cloud scope collector behind the provider declaration: one project per scope. The API clients
// are made on first use and shared by every project of the collector's life.
import type { CollectorContext, CollectorModule, Scope, ScopeCollector, ScopeResult } from '../provider.ts';
import { defaultGoogleAuthClient } from './auth.ts';
import { collectGcpProject, GcpClients } from './collect.ts';
import { ErrorLog } from './errors.ts';
import type { GcpAccess, GcpDeployment } from './provider.ts';
import { GcpSettings } from './settings.ts';
import { ConfigError } from '../../core/config-error.ts';

function createCollector(ctx: CollectorContext<GcpSettings, GcpDeployment, GcpAccess>): ScopeCollector {
  const settings = GcpSettings.parse(ctx.settings);
  let clients: Promise<GcpClients> | undefined;
  const clientsFor = () => {
    clients ??= (async () => new GcpClients(settings, ctx.access.authClient ?? (await defaultGoogleAuthClient()), ctx.access.clientOptions))();
    clients.catch(() => (clients = undefined));
    return clients;
  };
  return {
    async discover() {
      if (settings.projects.length === 0) throw new ConfigError('gcp.projects is empty: name the projects to scan in the config (gcp: {projects: [<id>]}) or after --gcp');
      return { scopes: settings.projects.map((project): Scope => ({ provider: 'gcp', account: project, region: '' })), errors: [] };
    },
    async collect(scope: Scope): Promise<ScopeResult> {
      const errors = new ErrorLog();
      const { assets, images } = await collectGcpProject(await clientsFor(), scope.account, errors, ctx.now());
      return { assets, errors: errors.list(), images };
    },
    async close() {
      const made = clients;
      clients = undefined;
      if (made) await (await made.catch(() => undefined))?.close();
    },
  };
}

export const collector: CollectorModule<GcpSettings, GcpDeployment, GcpAccess> = { createCollector };
