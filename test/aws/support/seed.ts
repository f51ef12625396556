// Seeds moto through the real SDK clients, as each account's own principal would create the resources.
import { CreateRepositoryCommand, ECRClient, PutLifecyclePolicyCommand, PutReplicationConfigurationCommand, SetRepositoryPolicyCommand, PutRegistryScanningConfigurationCommand } from '@aws-sdk/client-ecr';
import { CreateClusterCommand, CreateServiceCommand, ECSClient, RegisterTaskDefinitionCommand, type ContainerDefinition } from '@aws-sdk/client-ecs';
import { CreateClusterCommand as CreateEksClusterCommand, CreateNodegroupCommand, EKSClient } from '@aws-sdk/client-eks';
import { CreateSecurityGroupCommand, CreateSubnetCommand, CreateVpcCommand, EC2Client } from '@aws-sdk/client-ec2';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { motoCredentials } from '../../standins/moto.ts';

export interface Principal {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

export const callerAccount = '123456789012';

/** Credentials that moto attributes to `account` (AssumeRole into it from the default principal). */
export async function principalIn(endpoint: string, account: string): Promise<Principal> {
  if (account === callerAccount) return motoCredentials;
  const sts = new STSClient({ endpoint, region: 'us-east-1', credentials: motoCredentials });
  const out = await sts.send(new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${account}:role/seeder`, RoleSessionName: 'seed' }));
  const c = out.Credentials!;
  return { accessKeyId: c.AccessKeyId!, secretAccessKey: c.SecretAccessKey!, sessionToken: c.SessionToken! };
}

export function clientsFor(endpoint: string, region: string, credentials: Principal) {
  const config = { endpoint, region, credentials };
  return { ecr: new ECRClient(config), ecs: new ECSClient(config), eks: new EKSClient(config), ec2: new EC2Client(config) };
}

/** A VPC with two subnets and a security group: moto checks that awsvpc services name ones that exist. */
export async function network(ec2: EC2Client, region: string): Promise<{ subnets: string[]; securityGroup: string }> {
  const vpc = await ec2.send(new CreateVpcCommand({ CidrBlock: '10.20.0.0/16' }));
  const VpcId = vpc.Vpc!.VpcId!;
  const subnets: string[] = [];
  for (const [i, zone] of ['a', 'b'].entries()) {
    const out = await ec2.send(new CreateSubnetCommand({ VpcId, CidrBlock: `10.20.${i}.0/24`, AvailabilityZone: `${region}${zone}` }));
    subnets.push(out.Subnet!.SubnetId!);
  }
  const sg = await ec2.send(new CreateSecurityGroupCommand({ VpcId, GroupName: 'web', Description: 'web tasks' }));
  return { subnets, securityGroup: sg.GroupId! };
}

export type Clients = ReturnType<typeof clientsFor>;

export const publicPolicy = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Sid: 'AnyonePulls', Effect: 'Allow', Principal: '*', Action: ['ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer'] }],
});

export const ownAccountPolicy = (account: string) =>
  JSON.stringify({
    Version: '2012-10-17',
    Statement: [{ Sid: 'OwnAccount', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${account}:root` }, Action: ['ecr:BatchGetImage'] }],
  });

export const expireUntagged = JSON.stringify({
  rules: [{ rulePriority: 1, description: 'expire untagged', selection: { tagStatus: 'untagged', countType: 'sinceImagePushed', countUnit: 'days', countNumber: 14 }, action: { type: 'expire' } }],
});

export async function createRepositories(ecr: ECRClient, names: readonly string[]): Promise<void> {
  // Small batches: moto is single-threaded and the run stays quick without flooding it.
  for (let i = 0; i < names.length; i += 20) {
    await Promise.all(names.slice(i, i + 20).map((repositoryName) => ecr.send(new CreateRepositoryCommand({ repositoryName }))));
  }
}

export const webContainer = (overrides: Partial<ContainerDefinition> = {}): ContainerDefinition => ({
  name: 'web',
  image: `${callerAccount}.dkr.ecr.eu-west-1.amazonaws.com/shop/api:1.0`,
  memory: 512,
  essential: true,
  portMappings: [{ containerPort: 8080 }],
  ...overrides,
});

export async function registerFamilies(ecs: ECSClient, prefix: string, count: number): Promise<void> {
  const families = Array.from({ length: count }, (_, i) => `${prefix}-${String(i).padStart(3, '0')}`);
  for (let i = 0; i < families.length; i += 20) {
    await Promise.all(
      families.slice(i, i + 20).map((family) =>
        ecs.send(new RegisterTaskDefinitionCommand({ family, containerDefinitions: [webContainer({ name: 'app', user: '1000', readonlyRootFilesystem: true })] })),
      ),
    );
  }
}

export {
  CreateRepositoryCommand,
  PutLifecyclePolicyCommand,
  PutReplicationConfigurationCommand,
  SetRepositoryPolicyCommand,
  PutRegistryScanningConfigurationCommand,
  CreateClusterCommand,
  CreateServiceCommand,
  RegisterTaskDefinitionCommand,
  CreateEksClusterCommand,
  CreateNodegroupCommand,
};
