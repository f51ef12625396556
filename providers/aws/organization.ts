// Organization-wide sweeps: every ACTIVE account of an AWS Organization (ListAccounts, read in the
// management account or a delegated administrator), minus the accounts the deployment excludes, each
// reached through the same role name. The schedule lists the accounts on every run, so an account that
// joins the organization is swept from the next run on, and one that leaves or is suspended is not.
import { paginateListAccounts, type OrganizationsClient } from '@aws-sdk/client-organizations';
import { z } from 'zod';
import { AwsAccountId, AwsRegionName } from './settings.ts';

export const AwsOrganization = z
  .object({
    /** The organization id (o-…): the central event bus admits PutEvents from this organization only. */
    id: z.string().regex(/^o-[a-z0-9]{10,32}$/, 'expected an organization id such as o-a1b2c3d4e5'),
    /** Regions swept in every member account. */
    regions: z.array(AwsRegionName).min(1),
    /** Accounts never swept (sandboxes, suspended workloads, the log archive …). */
    exclude: z.array(AwsAccountId).default([]),
    /** The role the member-account stack creates in every account (its name and path must match). */
    roleName: z.string().regex(/^[\w+=,.@-]{1,64}$/, 'an IAM role name').default('PostureAudit'),
    rolePath: z.string().regex(/^\/([\w+=,.@-]+\/)*$/, 'an IAM path like / or /security/').default('/'),
    /** Region of the Organizations API (a global service served from us-east-1 in the commercial partition). */
    apiRegion: AwsRegionName.default('us-east-1'),
  })
  .strict();
export type AwsOrganization = z.infer<typeof AwsOrganization>;
export type AwsOrganizationInput = z.input<typeof AwsOrganization>;

/** Every ACTIVE account of the organization (Organizations ListAccounts, all pages), in listing order. */
export async function activeAccounts(client: OrganizationsClient): Promise<string[]> {
  const accounts: string[] = [];
  for await (const page of paginateListAccounts({ client }, {})) {
    for (const a of page.Accounts ?? []) {
      // `State` replaces the deprecated `Status`; either says whether the account is usable.
      const state = a.State ?? a.Status;
      if (a.Id && state === 'ACTIVE') accounts.push(a.Id);
    }
  }
  return accounts;
}

/** The accounts an organization sweep covers: active, not excluded, sorted. */
export function sweptAccounts(organization: AwsOrganization, active: readonly string[]): string[] {
  const excluded = new Set(organization.exclude);
  return [...new Set(active)].filter((a) => !excluded.has(a)).sort();
}

/** The member role's ARN pattern the worker may assume (any account; the member stacks trust only this deployment's account). */
export function memberRoleArnPattern(organization: AwsOrganization, partition = 'aws'): string {
  return `arn:${partition}:iam::*:role${organization.rolePath}${organization.roleName}`;
}
