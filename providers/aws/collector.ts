// The AWS scope collector behind the provider declaration: discovery (the caller's account or the configured
// ones, an organization's members, each account's enabled regions) and one account × region at a time.
// An account is resolved once per collector (GetCallerIdentity, AssumeRole), so a run of many regions
// assumes each role once; a refused role is not remembered, so the next sweep tries again.
import type { CollectionError } from '../../core/collection-errors.ts';
import type { CollectorContext, CollectorModule, Scope, ScopeCollector, ScopeResult } from '../provider.ts';
import { resolveAccounts } from './accounts.ts';
import type { AccountAccess } from './clients.ts';
import { collectAwsRegion, newAwsRun, parseAwsSettings, type AwsRun } from './collect.ts';
import type { AwsAccess, AwsDeployment } from './provider.ts';
import { enabledRegions } from './regions.ts';
import { ErrorLog, scopeOf } from './scope.ts';
import type { AwsSettings } from './settings.ts';

/** `arn:aws:iam::123456789012:role/security/PostureAudit` → rolePath `/security/`, roleName `PostureAudit`. */
export function roleSettings(roleArn: string | undefined): Partial<AwsSettings> {
  if (!roleArn) return {};
  const m = /^arn:aws[a-z-]*:iam::\d{12}:role(\/(?:[^/]+\/)*)([^/]+)$/.exec(roleArn);
  if (!m) throw new Error(`scope role "${roleArn}" is not an IAM role ARN`);
  return { rolePath: m[1] as string, roleName: m[2] as string };
}

function createCollector(ctx: CollectorContext<AwsSettings, AwsDeployment, AwsAccess>): ScopeCollector {
  const settings = parseAwsSettings(ctx.settings);
  const run = newAwsRun(settings);
  const roles = new Map<string, string>();
  for (const entry of ctx.deployment ?? []) if (entry.roleArn) roles.set(entry.account, entry.roleArn);
  for (const [account, roleArn] of Object.entries(ctx.access.roles ?? {})) roles.set(account, roleArn);
  const accounts = new Map<string, Promise<AccountAccess | undefined>>();

  /** The account's access, resolved once; undefined (with the reason in `errors`) when its role is refused. */
  const accessFor = (account: string, errors: ErrorLog): Promise<AccountAccess | undefined> => {
    let pending = accounts.get(account);
    if (!pending) {
      // A scope job names its account: never widen it to the whole organization here (that is the sweep's job).
      const own = { ...settings, ...roleSettings(roles.get(account)), organizations: false };
      pending = resolveAccounts(run.factory, own, ctx.access.credentials, run.homeRegion, [account], errors).then((r) => r.accounts.find((a) => a.account === account));
      accounts.set(account, pending);
      pending.then(
        (a) => (a ? undefined : accounts.delete(account)),
        () => accounts.delete(account),
      );
    }
    return pending;
  };

  return {
    async discover(): Promise<{ scopes: Scope[]; errors: CollectionError[] }> {
      const errors = new ErrorLog();
      const { accounts: resolved } = await resolveAccounts(run.factory, settings, ctx.access.credentials, run.homeRegion, settings.accounts, errors);
      const scopes: Scope[] = [];
      for (const access of resolved) {
        accounts.set(access.account, Promise.resolve(access));
        const regions = settings.regions.length > 0 ? [...new Set(settings.regions)].sort() : await errors.guard(scopeOf(access.account, undefined, 'regions'), () => enabledRegions(run.factory, access, run.homeRegion));
        for (const region of regions ?? []) scopes.push({ provider: 'aws', account: access.account, region });
      }
      return { scopes, errors: errors.list() };
    },
    async collect(scope: Scope): Promise<ScopeResult> {
      if (!scope.region) throw new Error(`AWS scope for account ${scope.account} names no region`);
      const errors = new ErrorLog();
      // Throws only when the caller's own identity is unreadable: the whole scope then fails.
      const access = await accessFor(scope.account, errors);
      if (!access) return { assets: [], errors: errors.list(), images: [] };
      const { assets, images } = await collectAwsRegion(run satisfies AwsRun, access, scope.region, errors, ctx.now());
      return { assets, errors: errors.list(), images };
    },
  };
}

export const collector: CollectorModule<AwsSettings, AwsDeployment, AwsAccess> = { createCollector };
