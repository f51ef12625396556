// Wiring for the schedule sweep.
import type { ScheduleDeps } from '../../schedule.ts';
import { envNames, logger, queueFrom, type Env } from '../env.ts';
import { scopesFromEnv } from '../scopes.ts';

export function scheduleDepsFromEnv(env: Env): ScheduleDeps {
  return { queue: queueFrom(env), scopes: scopesFromEnv(env, envNames.scopes), log: logger('schedule') };
}
