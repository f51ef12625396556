// The estate a deployment sweeps, one section per provider (AWS accounts × regions each reached through a
// configured role, Azure subscriptions, Google Cloud projects …), as each provider declares it. Set once in
// CDK (typed props / context) and handed to the schedule and worker functions as JSON; the AWS role ARNs are
// also the only ones the worker may assume.
import { DeploymentScopes } from '../../providers/registry.ts';
import type { Env } from './env.ts';

export const Scopes = DeploymentScopes;
export type Scopes = DeploymentScopes;
export type { DeploymentScopesInput as ScopesInput } from '../../providers/registry.ts';

export function parseScopes(value: unknown, origin: string): Scopes {
  const parsed = Scopes.safeParse(value ?? {});
  if (!parsed.success) {
    throw new Error(`${origin} is invalid: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')}`);
  }
  return parsed.data;
}

/** The deployment's scopes from the environment variable the stack sets (none: nothing is swept). */
export function scopesFromEnv(env: Env, name: string): Scopes {
  const raw = env[name];
  if (!raw) return parseScopes({}, name);
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch (err) {
    throw new Error(`environment variable ${name} is not JSON: ${(err as Error).message}`);
  }
  return parseScopes(value, name);
}
