// Entry point of the scope collectors, loaded only when a scope job arrives (see scope-loader.ts): the
// cloud SDKs they need (EC2/ECS/EKS/Organizations, Azure ARM, Google Cloud gRPC clients and their
// protos) are several times the size of everything an image job needs, so they stay out of its cold start.
import type { ScanScopeJob } from '../../core/jobs.ts';
import type { Swept } from './collectors.ts';
import { sweepAwsScope, type AwsScopeAccess } from './scope-aws.ts';
import { sweepAzureScope, type AzureScopeAccess } from './scope-azure.ts';
import { sweepGcpScope, type GcpScopeAccess } from './scope-gcp.ts';

export interface ScopeAccess {
  aws: AwsScopeAccess;
  azure: AzureScopeAccess;
  gcp: GcpScopeAccess;
}

export function sweepScope(job: ScanScopeJob, access: ScopeAccess, now: Date): Promise<Swept> {
  switch (job.cloud) {
    case 'aws':
      return sweepAwsScope(job, access.aws, now);
    case 'azure':
      return sweepAzureScope(job, access.azure, now);
    case 'gcp':
      return sweepGcpScope(job, access.gcp, now);
  }
}
