// Wiring for the schedule sweep.
import type { ScheduleDeps } from '../../schedule.ts';
import { envNames, logger, queueFrom, type Env } from '../env.ts';
import { parseScopes } from '../scopes.ts';

export function scheduleDepsFromEnv(env: Env): ScheduleDeps {
  let scopes: unknown;
  try {
    scopes = JSON.parse(env[envNames.scopes] ?? '{}');
  } catch (err) {
    throw new Error(`environment variable ${envNames.scopes} is not JSON: ${(err as Error).message}`);
  }
  return { queue: queueFrom(env), scopes: parseScopes(scopes, envNames.scopes), log: logger('schedule') };
}
