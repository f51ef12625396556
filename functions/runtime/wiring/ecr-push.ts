// Wiring for the ECR EventBridge target.
import type { EcrPushDeps } from '../../ecr-push.ts';
import { logger, queueFrom, type Env } from '../env.ts';

export function ecrPushDepsFromEnv(env: Env): EcrPushDeps {
  return { queue: queueFrom(env), log: logger('ecr-push') };
}
