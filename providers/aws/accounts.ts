// The accounts a run reads: the caller's own identity (STS GetCallerIdentity), the configured
// accounts and optionally every ACTIVE member of the organization. Every account other than the
// caller's is reached by AssumeRole; a role we may not assume is that account's error, not the run's.
import { AssumeRoleCommand, GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import type { AwsCredentialIdentity } from '@smithy/types';
import { z } from 'zod';
import type { AwsSettings } from './settings.ts';
import { parseArn } from './arn.ts';
import { activeAccounts } from './organization.ts';
import type { AccountAccess, AwsCredentials, ClientFactory } from './clients.ts';
import { scopeOf, type ErrorLog } from './scope.ts';

const CallerIdentity = z.object({ Account: z.string().regex(/^\d{12}$/), Arn: z.string() });
const AssumedCredentials = z.object({
  AccessKeyId: z.string().min(1),
  SecretAccessKey: z.string().min(1),
  SessionToken: z.string().min(1),
  Expiration: z.date().optional(),
});

export function roleArn(partition: string, account: string, settings: AwsSettings): string {
  return `arn:${partition}:iam::${account}:role${settings.rolePath}${settings.roleName}`;
}

/** AssumeRole now, so a refusal is known before any work starts, and again whenever the session is about to expire. */
async function assumeRole(factory: ClientFactory, caller: AccountAccess, account: string, settings: AwsSettings, region: string): Promise<AwsCredentials> {
  const sts = factory.sts(caller, region);
  const assume = async (): Promise<AwsCredentialIdentity> => {
    const out = await sts.send(
      new AssumeRoleCommand({
        RoleArn: roleArn(caller.partition, account, settings),
        RoleSessionName: settings.sessionName,
        ...(settings.externalId ? { ExternalId: settings.externalId } : {}),
      }),
    );
    const c = AssumedCredentials.parse(out.Credentials);
    return { accessKeyId: c.AccessKeyId, secretAccessKey: c.SecretAccessKey, sessionToken: c.SessionToken, ...(c.Expiration ? { expiration: c.Expiration } : {}) };
  };
  let first: AwsCredentialIdentity | undefined = await assume();
  // The SDK caches what this returns and calls again only when the session nears its expiration.
  return async () => {
    const credentials = first ?? (await assume());
    first = undefined;
    return credentials;
  };
}

export async function organizationAccounts(factory: ClientFactory, caller: AccountAccess, region: string): Promise<string[]> {
  return activeAccounts(factory.organizations(caller, region));
}

export interface ResolvedAccounts {
  caller: AccountAccess;
  accounts: AccountAccess[];
}

/** Throws only when the caller's own identity cannot be read: without it nothing can be collected. */
export async function resolveAccounts(
  factory: ClientFactory,
  settings: AwsSettings,
  base: AwsCredentials,
  region: string,
  requested: readonly string[],
  errors: ErrorLog,
): Promise<ResolvedAccounts> {
  const probe: AccountAccess = { account: '', partition: 'aws', credentials: base };
  let identity: z.infer<typeof CallerIdentity>;
  try {
    identity = CallerIdentity.parse(await factory.sts(probe, region).send(new GetCallerIdentityCommand({})));
  } catch (err) {
    throw new Error(`cannot read the caller's AWS identity (STS GetCallerIdentity in ${region}): ${(err as Error).message}`);
  }
  const caller: AccountAccess = { account: identity.Account, partition: parseArn(identity.Arn).partition, credentials: base };

  const wanted = new Set(requested.length > 0 ? requested : [caller.account]);
  if (settings.organizations) {
    const members = await errors.guard(scopeOf(caller.account, undefined, 'organizations'), () => organizationAccounts(factory, caller, region));
    for (const id of members ?? []) wanted.add(id);
  }

  const accounts = await Promise.all(
    [...wanted].sort().map(async (account): Promise<AccountAccess | undefined> => {
      if (account === caller.account) return caller;
      const credentials = await errors.guard(scopeOf(account), () => assumeRole(factory, caller, account, settings, region));
      return credentials ? { account, partition: caller.partition, credentials } : undefined;
    }),
  );
  return { caller, accounts: accounts.filter((a): a is AccountAccess => a !== undefined) };
}
