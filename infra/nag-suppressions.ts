// cdk-nag findings this design accepts, each with the reason. Anything not listed here fails the
// nag test (test/infra/nag.test.ts), so a new finding is either fixed or argued for here.
import { Validations, type CfnElement, type Stack } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import type * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import type { IConstruct } from 'constructs';

interface Ack {
  id: string;
  reason: string;
}

/** cdk-nag v3 acknowledges through CDK's own validation API, one finding id at a time. */
function acknowledge(scope: IConstruct, acks: Ack[]): void {
  const v = Validations.of(scope);
  for (const a of acks) v.acknowledge(a);
}

export interface Suppressible {
  functions: Record<string, lambda.Function>;
  deadLetterQueues: sqs.Queue[];
  secrets: secretsmanager.Secret[];
  /** Keys posture holds itself and must keep stable (rotating one is a deliberate operator step). */
  keys?: secretsmanager.Secret[];
  stateTable: dynamodb.Table;
  dataBucket: s3.Bucket;
  /** The member scan role ARN pattern as cdk-nag prints it (organization deployments only). */
  memberRolePattern?: string;
}

/** The member-account stack: its read-only scan role is the only finding, and it is by design. */
export function suppressMemberFindings(scanRole: IConstruct, forwardRole: IConstruct): void {
  acknowledge(forwardRole, [{ id: 'NIST.800.53.R5-IAMNoInlinePolicy', reason: 'CDK\'s grant of events:PutEvents on the central bus only, attached to this one role.' }]);
  acknowledge(scanRole, [
    { id: 'AwsSolutions-IAM5[Resource::*]', reason: 'ECR/ECS/EKS List*/Describe* and ecr:GetAuthorizationToken cannot be scoped to resources unknown before listing; every action is a read (providers/aws/permissions.ts).' },
    { id: 'NIST.800.53.R5-IAMNoInlinePolicy', reason: 'The scan role\'s one inline policy is generated from the collectors\' action list and deployed with the role; no other principal uses it.' },
  ]);
}

export function suppressWithReasons(stack: Stack, parts: Suppressible): void {
  const functions = Object.values(parts.functions);
  for (const f of functions) {
    acknowledge(f,
      [
        {
          id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
          reason: 'AWSLambdaBasicExecutionRole only lets the function write its own logs; CDK attaches it to every function role.',
        },
        {
          id: 'AwsSolutions-L1',
          reason: 'The functions run Node.js 22, the one runtime the project is built and tested on (package.json engines, setup, CI); the runtime moves with the project, not ahead of it.',
        },
        {
          id: 'NIST.800.53.R5-LambdaInsideVPC',
          reason: 'The functions call public cloud APIs (AWS, Azure ARM, Google) and registries; no VPC resource is reached, so a VPC would add NAT cost and no isolation.',
        },
        {
          id: 'NIST.800.53.R5-LambdaConcurrency',
          reason: 'The worker is bounded by the SQS event source maxConcurrency; reserved concurrency would take capacity from the account and can block deployment in small accounts.',
        },
      ],
    );
  }
  for (const f of [parts.functions.worker, parts.functions.webhook]) {
    if (!f) continue;
    acknowledge(f, [
      {
        id: 'NIST.800.53.R5-LambdaDLQ',
        reason: 'Not invoked asynchronously: the worker is fed by SQS (redrive to the scan DLQ) and the webhook answers HTTP synchronously (senders retry).',
      },
    ]);
  }
  for (const [name, f] of Object.entries(parts.functions)) {
    if (name === 'worker') continue;
    const listAccounts = name === 'schedule' ? ' With an organization, organizations:ListAccounts has none either (it lists the caller\'s own organization).' : '';
    acknowledge(f, [{ id: 'AwsSolutions-IAM5[Resource::*]', reason: `Active tracing: xray:PutTraceSegments and xray:PutTelemetryRecords have no resource ARN to scope to.${listAccounts}` }]);
  }
  if (parts.functions.worker && parts.memberRolePattern) {
    acknowledge(parts.functions.worker, [
      {
        id: `AwsSolutions-IAM5[Resource::${parts.memberRolePattern}]`,
        reason: 'Organization sweeps find member accounts at run time: the worker may assume the member stack\'s role, by its one name, in any account; each of those roles trusts this account only and can only read.',
      },
    ]);
  }
  if (parts.functions.worker) {
    acknowledge(parts.functions.worker,
      [
        {
          id: 'AwsSolutions-IAM5[Resource::*]',
          reason: 'ECR/ECS/EKS List*/Describe*/Get* (registry and repository settings), ec2:DescribeRegions/DescribeSubnets, iam:ListOpenIDConnectProviders, ecr:GetAuthorizationToken, sts:GetWebIdentityToken (Azure federation) and the X-Ray trace writes cannot be scoped to resources; the worker only reads. Cross-account access is limited to the configured role ARNs.',
        },
      ],
    );
  }
  // Wildcards CDK writes into grants, each confined to one resource of this stack.
  acknowledge(stack, [
    { id: 'AwsSolutions-IAM5[Action::kms:GenerateDataKey*]', reason: 'CDK grant on the stack\'s own KMS key only (SQS/DynamoDB/Secrets encryption needs the action family).' },
    { id: 'AwsSolutions-IAM5[Action::kms:ReEncrypt*]', reason: 'CDK grant on the stack\'s own KMS key only.' },
    { id: `AwsSolutions-IAM5[Resource::<${stack.getLogicalId(parts.stateTable.node.defaultChild as CfnElement)}.Arn>/index/*]`, reason: 'The finding-state table\'s own GSIs (byAsset, outbox), queried by the state store.' },
    ...Object.values(parts.functions).map((f) => ({
      id: `AwsSolutions-IAM5[Resource::<${stack.getLogicalId(f.node.defaultChild as CfnElement)}.Arn>:*]`,
      reason: 'EventBridge Scheduler may invoke this one function\'s versions/aliases; nothing else.',
    })),
    { id: 'NIST.800.53.R5-IAMNoInlinePolicy', reason: 'CDK grants are inline policies attached to one function role each; they are generated from the resources they name and reviewed with the stack.' },
    { id: 'NIST.800.53.R5-DynamoDBInBackupPlan', reason: 'Both tables have point-in-time recovery (35 days); the ledger is disposable (TTL) and findings are re-derivable by a sweep.' },
  ]);
  if (parts.functions.webhook) {
    acknowledge(parts.functions.webhook, [
      { id: 'NIST.800.53.R5-LambdaFunctionPublicAccessProhibited', reason: 'The webhook must be reachable by Azure Event Grid, ACR and Google Pub/Sub; it authenticates every request itself (constant-time shared secret, Google-signed OIDC token) and rejects the rest with 401.' },
    ]);
  }
  const bucketArn = `<${stack.getLogicalId(parts.dataBucket.node.defaultChild as CfnElement)}.Arn>`;
  acknowledge(stack, [
    { id: `AwsSolutions-IAM5[Resource::${bucketArn}/vulndb/*]`, reason: 'Objects under the vulnerability index prefix of the stack\'s own data bucket: the index key is content-addressed, so it cannot be named in advance.' },
    { id: `AwsSolutions-IAM5[Resource::${bucketArn}/inventory/*]`, reason: 'Objects under the inventory prefix of the stack\'s own data bucket: one object per image digest analysed.' },
  ]);
  acknowledge(parts.dataBucket, [
    { id: 'AwsSolutions-S1', reason: 'The bucket holds derived data only (the OSV index, re-made by the sync function; image inventories, re-made by the next analysis); reads and writes are by the two function roles, recorded by CloudTrail.' },
    { id: 'NIST.800.53.R5-S3BucketLoggingEnabled', reason: 'Same as AwsSolutions-S1: derived data, accessed by two function roles only.' },
    { id: 'NIST.800.53.R5-S3BucketReplicationEnabled', reason: 'Derived data: the sync function rebuilds the index from the OSV archives and the next image analysis rebuilds an inventory; a replica protects nothing that cannot be re-made.' },
    { id: 'NIST.800.53.R5-S3BucketVersioningEnabled', reason: 'Index objects are content-addressed and never overwritten; inventories are replaced by newer analyses of the same image, so old versions have no use.' },
  ]);
  for (const q of parts.deadLetterQueues) {
    acknowledge(q, [{ id: 'AwsSolutions-SQS3', reason: 'This queue is itself a dead-letter queue.' }]);
  }
  for (const s of parts.secrets) {
    acknowledge(s, [
      { id: 'AwsSolutions-SMG4', reason: 'Third-party API tokens and shared webhook secrets are issued by the other side (Jira, ServiceNow, Azure, GRC); no Lambda can rotate them. Rotation is an operator runbook step.' },
      { id: 'NIST.800.53.R5-SecretsManagerRotationEnabled', reason: 'Same as AwsSolutions-SMG4: rotated at the issuing service by an operator.' },
    ]);
  }
  for (const s of parts.keys ?? []) {
    acknowledge(s, [
      { id: 'AwsSolutions-SMG4', reason: 'The key that hashes found secrets must stay the same between scans, or every redacted value would read as changed; rotating it is a deliberate operator step.' },
      { id: 'NIST.800.53.R5-SecretsManagerRotationEnabled', reason: 'Same as AwsSolutions-SMG4: a stable hashing key, rotated deliberately by an operator.' },
    ]);
  }
}
