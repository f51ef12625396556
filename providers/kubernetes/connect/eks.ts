// An EKS cluster's API through the AWS provider's access: the account is reached as the AWS scopes reach it
// (the caller's identity, or the role the deployment names for that account), DescribeCluster gives the
// endpoint and CA, and the bearer token is an STS GetCallerIdentity request presigned for the cluster
// (eks-token.ts). The cluster lets that identity in through an EKS access entry (docs/kubernetes.md).
import { DescribeClusterCommand } from '@aws-sdk/client-eks';
import pLimit from 'p-limit';
import { resolveAccounts } from '../../aws/accounts.ts';
import { ClientFactory } from '../../aws/clients.ts';
import { roleSettings } from '../../aws/collector.ts';
import { parseAwsSettings } from '../../aws/collect.ts';
import type { AwsAccess, AwsDeployment } from '../../aws/provider.ts';
import { ErrorLog } from '../../aws/scope.ts';
import type { ClusterConnection } from '../api/client.ts';
import { eksToken } from './eks-token.ts';

export interface EksTarget {
  account: string;
  region: string;
  name: string;
}

export async function eksConnection(target: EksTarget, aws: { settings: unknown; access: AwsAccess; deployment: AwsDeployment | undefined }): Promise<ClusterConnection> {
  const roleArn = aws.access.roles?.[target.account] ?? aws.deployment?.find((a) => a.account === target.account)?.roleArn;
  const settings = parseAwsSettings({ ...(aws.settings as object), ...roleSettings(roleArn) });
  const factory = new ClientFactory(settings, pLimit(4));
  const errors = new ErrorLog();
  const homeRegion = settings.homeRegion ?? process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION ?? 'us-east-1';
  const { accounts } = await resolveAccounts(factory, settings, aws.access.credentials, homeRegion, [target.account], errors);
  const access = accounts.find((a) => a.account === target.account);
  if (!access) throw new Error(`EKS cluster ${target.name}: account ${target.account} is not reachable: ${errors.list()[0]?.message ?? 'no access'}`);
  const eks = factory.eks(access, target.region);
  const out = await eks.send(new DescribeClusterCommand({ name: target.name }));
  const cluster = out.cluster;
  if (!cluster?.endpoint) throw new Error(`EKS cluster ${target.name} has no API endpoint yet (status ${cluster?.status ?? 'unknown'})`);
  const ca = cluster.certificateAuthority?.data ? Buffer.from(cluster.certificateAuthority.data, 'base64').toString('utf8') : undefined;
  const sts = factory.sts(access, target.region);
  return {
    cluster: target.name,
    distribution: 'eks',
    server: cluster.endpoint,
    ...(ca ? { ca } : {}),
    account: target.account,
    region: target.region,
    authorize: async () => {
      // Presigned for the regional public STS host whatever endpoint posture itself talks to (VPC, FIPS): EKS's
      // authenticator accepts STS hosts only, and replays the request from the cluster's side.
      const credentials = await sts.config.credentials();
      const token = await eksToken({ cluster: target.name, region: target.region, credentials });
      return { authorization: `Bearer ${token}` };
    },
  };
}
