// Wiring for the schedule sweep.
import { OrganizationsClient } from '@aws-sdk/client-organizations';
import { activeAccounts, AwsOrganization } from '../../../providers/aws/organization.ts';
import type { ScheduleDeps } from '../../schedule.ts';
import { envNames, jsonFrom, logger, queueFrom, type Env } from '../env.ts';
import { scopesFromEnv } from '../scopes.ts';

export function scheduleDepsFromEnv(env: Env): ScheduleDeps {
  const organization = jsonFrom(env, envNames.organization, AwsOrganization);
  return {
    queue: queueFrom(env),
    scopes: scopesFromEnv(env, envNames.scopes),
    log: logger('schedule'),
    ...(organization ? { organization: { settings: organization, activeAccounts: () => activeAccounts(new OrganizationsClient({ region: organization.apiRegion })) } } : {}),
  };
}
