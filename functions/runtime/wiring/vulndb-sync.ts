// Wiring for the vulnerability database sync: posture.yaml's `vulnerabilities` section (ecosystems, the
// archive base URL) from the bundle, the index bucket from the stack.
import { S3Client } from '@aws-sdk/client-s3';
import { loadConfig } from '../../../core/config.ts';
import type { SourceSpec } from '../../../vulns/db/sync.ts';
import type { VulnDbSyncDeps } from '../../vulndb-sync.ts';
import { envNames, logger, required, type Env } from '../env.ts';

export function vulnDbSyncDepsFromEnv(env: Env): VulnDbSyncDeps {
  const config = loadConfig(env[envNames.configFile]).vulnerabilities;
  const sources: SourceSpec[] = config.ecosystems.map((ecosystem) => ({ kind: 'osv', ecosystem, baseUrl: config.osvBaseUrl }));
  return { s3: new S3Client({}), bucket: required(env, envNames.vulnDbBucket), sources, log: logger('vulndb-sync') };
}
