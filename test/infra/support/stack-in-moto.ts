// The synthesized stack's data plane in moto, so the functions can run with exactly the permissions the
// template gives them: its tables (keys and indexes as synthesized), queues, secrets and buckets (named by
// their logical id in lower case, as bucket names must be) are created under
// their logical ids; each function's role is created from the policies the template attaches to it (CFN
// intrinsics resolved against what was created) and assumed, and the function's environment is resolved
// the same way. With moto's IAM enforcement on, a call the role does not allow fails as it would in AWS.
//
// Not modelled: KMS (moto does not consult key policies for SQS/DynamoDB/Secrets Manager/S3 encryption), bucket
// policies (the template's deny of plain-HTTP requests: moto is reached over loopback HTTP), the
// AWSLambdaBasicExecutionRole managed policy (log delivery, done by the Lambda service) and X-Ray.
import { CreateTableCommand, DynamoDBClient, UpdateTimeToLiveCommand, type CreateTableCommandInput } from '@aws-sdk/client-dynamodb';
import { CreateAccessKeyCommand, CreateRoleCommand, CreateUserCommand, IAMClient, PutRolePolicyCommand, PutUserPolicyCommand } from '@aws-sdk/client-iam';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { CreateSecretCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { CreateQueueCommand, SQSClient } from '@aws-sdk/client-sqs';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import type { MotoServer } from '../../standins/moto.ts';

type Json = unknown;
type Resource = { Type: string; Properties?: Record<string, Json> };
export type CfnTemplate = { Resources: Record<string, Resource> };

export interface Credentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

export interface PolicyStatement {
  Sid?: string;
  Effect: 'Allow' | 'Deny';
  Action: string | string[];
  Resource: string | string[];
  Condition?: Json;
}

interface Physical {
  ref: string;
  arn: string;
}

export interface StackInMotoOptions {
  account: string;
  region: string;
  /** SecretString per secret, by its Name or its construct id (the logical id without CDK's hash); others get "{}". */
  secretValues?: Record<string, string>;
}

export class StackInMoto {
  private constructor(
    private readonly moto: MotoServer,
    private readonly template: CfnTemplate,
    private readonly options: StackInMotoOptions,
    private readonly physical: Map<string, Physical>,
    /** An administrator of the account, for seeding and inspection while IAM is enforced. */
    readonly admin: Credentials,
    private readonly adminArn: string,
  ) {}

  /** Creates the template's tables, queues and secrets in moto. Call while IAM enforcement is off. */
  static async deploy(moto: MotoServer, template: CfnTemplate, options: StackInMotoOptions): Promise<StackInMoto> {
    const config = { endpoint: moto.endpoint, region: options.region, credentials: moto.clientConfig.credentials };
    const physical = new Map<string, Physical>();
    const arn = (service: string, rest: string) => `arn:aws:${service}:${options.region}:${options.account}:${rest}`;
    const db = new DynamoDBClient(config);
    const sqs = new SQSClient(config);
    const sm = new SecretsManagerClient(config);
    // Path-style: moto on 127.0.0.1 has no per-bucket host names.
    const s3 = new S3Client({ ...config, forcePathStyle: true });
    for (const [id, r] of Object.entries(template.Resources)) {
      const p = r.Properties ?? {};
      switch (r.Type) {
        case 'AWS::DynamoDB::Table': {
          const indexes = (p.GlobalSecondaryIndexes as CreateTableCommandInput['GlobalSecondaryIndexes']) ?? [];
          await db.send(
            new CreateTableCommand({
              TableName: id,
              BillingMode: 'PAY_PER_REQUEST',
              KeySchema: p.KeySchema as CreateTableCommandInput['KeySchema'],
              AttributeDefinitions: p.AttributeDefinitions as CreateTableCommandInput['AttributeDefinitions'],
              ...(indexes.length ? { GlobalSecondaryIndexes: indexes.map(({ IndexName, KeySchema, Projection }) => ({ IndexName, KeySchema, Projection })) } : {}),
            }),
          );
          const ttl = p.TimeToLiveSpecification as { AttributeName?: string; Enabled?: boolean } | undefined;
          if (ttl?.AttributeName) await db.send(new UpdateTimeToLiveCommand({ TableName: id, TimeToLiveSpecification: { AttributeName: ttl.AttributeName, Enabled: true } }));
          physical.set(id, { ref: id, arn: arn('dynamodb', `table/${id}`) });
          break;
        }
        case 'AWS::SQS::Queue': {
          const out = await sqs.send(new CreateQueueCommand({ QueueName: id }));
          physical.set(id, { ref: out.QueueUrl as string, arn: arn('sqs', id) });
          break;
        }
        case 'AWS::SecretsManager::Secret': {
          const name = typeof p.Name === 'string' ? p.Name : id;
          const value = Object.entries(options.secretValues ?? {}).find(([k]) => k === name || new RegExp(`^${k}[0-9A-F]{8}$`).test(id))?.[1];
          const out = await sm.send(new CreateSecretCommand({ Name: name, SecretString: value ?? '{}' }));
          physical.set(id, { ref: out.ARN as string, arn: out.ARN as string });
          break;
        }
        case 'AWS::S3::Bucket': {
          const name = id.toLowerCase();
          await s3.send(new CreateBucketCommand({ Bucket: name, ...(options.region === 'us-east-1' ? {} : { CreateBucketConfiguration: { LocationConstraint: options.region as never } }) }));
          physical.set(id, { ref: name, arn: `arn:aws:s3:::${name}` });
          break;
        }
        case 'AWS::Lambda::Function':
          physical.set(id, { ref: id, arn: arn('lambda', `function:${id}`) });
          break;
        case 'AWS::KMS::Key':
          physical.set(id, { ref: id, arn: arn('kms', `key/${id}`) });
          break;
        default:
          physical.set(id, { ref: id, arn: arn('cloudformation', `stack/Posture/${id}`) });
      }
    }
    // The administrator: every action, so seeding and checks go on while the functions' roles are enforced.
    const iam = new IAMClient(config);
    const user = await iam.send(new CreateUserCommand({ UserName: 'stack-admin' }));
    await iam.send(new PutUserPolicyCommand({ UserName: 'stack-admin', PolicyName: 'all', PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] }) }));
    const key = (await iam.send(new CreateAccessKeyCommand({ UserName: 'stack-admin' }))).AccessKey;
    for (const c of [db, sqs, sm, s3, iam]) c.destroy();
    return new StackInMoto(moto, template, options, physical, { accessKeyId: key?.AccessKeyId as string, secretAccessKey: key?.SecretAccessKey as string }, user.User?.Arn as string);
  }

  /** Client config for any SDK client: moto's endpoint, this region, the given credentials. */
  clientConfig(credentials: Credentials) {
    return { endpoint: this.moto.endpoint, region: this.options.region, credentials };
  }

  /** The same for S3, path-style (moto on 127.0.0.1 has no per-bucket host names). */
  s3Config(credentials: Credentials) {
    return { ...this.clientConfig(credentials), forcePathStyle: true };
  }

  /** A CFN value with its intrinsics resolved against the created resources. */
  resolve(value: Json): Json {
    if (Array.isArray(value)) return value.map((v) => this.resolve(v));
    if (value === null || typeof value !== 'object') return value;
    const entries = Object.entries(value);
    if (entries.length === 1) {
      const [fn, arg] = entries[0] as [string, Json];
      if (fn === 'Ref') return this.ref(arg as string);
      if (fn === 'Fn::GetAtt') {
        const [id, attr] = arg as [string, string];
        if (attr !== 'Arn') throw new Error(`Fn::GetAtt ${id}.${attr}: only Arn is resolved`);
        return this.known(id).arn;
      }
      if (fn === 'Fn::Join') {
        const [sep, parts] = arg as [string, Json[]];
        return parts.map((part) => this.resolve(part)).join(sep);
      }
      if (fn.startsWith('Fn::')) throw new Error(`${fn} is not resolved by StackInMoto`);
    }
    return Object.fromEntries(entries.map(([k, v]) => [k, this.resolve(v)]));
  }

  private ref(id: string): string {
    const pseudo: Record<string, string> = { 'AWS::Partition': 'aws', 'AWS::Region': this.options.region, 'AWS::AccountId': this.options.account, 'AWS::URLSuffix': 'amazonaws.com', 'AWS::StackName': 'Posture' };
    return pseudo[id] ?? this.known(id).ref;
  }

  private known(id: string): Physical {
    const p = this.physical.get(id);
    if (!p) throw new Error(`template names ${id}, which is not a resource`);
    return p;
  }

  /** The logical id of the Lambda function whose construct path starts with `Posture/<name>/`. */
  functionId(name: string): string {
    const id = Object.entries(this.template.Resources).find(([logical, r]) => r.Type === 'AWS::Lambda::Function' && new RegExp(`^${name}[0-9A-F]{8}$`).test(logical))?.[0];
    if (!id) throw new Error(`no Lambda function ${name} in the template`);
    return id;
  }

  /** The function's environment variables, resolved. */
  environment(name: string): Record<string, string> {
    const fn = this.template.Resources[this.functionId(name)] as Resource;
    return this.resolve((fn.Properties?.Environment as { Variables?: Json } | undefined)?.Variables ?? {}) as Record<string, string>;
  }

  /** The statements of every policy the template attaches to the function's role, resolved. */
  statements(name: string): PolicyStatement[] {
    const fn = this.template.Resources[this.functionId(name)] as Resource;
    const roleId = ((fn.Properties?.Role as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'] ?? [])[0];
    const role = roleId ? this.template.Resources[roleId] : undefined;
    if (!roleId || role?.Type !== 'AWS::IAM::Role') throw new Error(`function ${name} has no role in the template`);
    const attached = Object.values(this.template.Resources).filter(
      (r) => r.Type === 'AWS::IAM::Policy' && ((r.Properties?.Roles as Json[]) ?? []).some((x) => (x as { Ref?: string }).Ref === roleId),
    );
    const inline = ((role.Properties?.Policies as { PolicyDocument: Json }[]) ?? []).map((p) => ({ Properties: { PolicyDocument: p.PolicyDocument } }));
    return [...attached, ...inline].flatMap((p) => (this.resolve((p.Properties?.PolicyDocument as { Statement: Json }).Statement) as PolicyStatement[]));
  }

  /**
   * Creates an IAM role holding exactly these statements (default: the function's, from the template) and
   * assumes it. The credentials act with that role's permissions once IAM enforcement is on.
   */
  async assumeFunctionRole(name: string, statements: PolicyStatement[] = this.statements(name)): Promise<Credentials> {
    const config = this.clientConfig(this.admin);
    const iam = new IAMClient(config);
    const sts = new STSClient(config);
    const roleName = `${name}-${Math.random().toString(36).slice(2, 8)}`;
    try {
      const trust = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: this.adminArn }, Action: 'sts:AssumeRole' }] };
      const created = await iam.send(new CreateRoleCommand({ RoleName: roleName, AssumeRolePolicyDocument: JSON.stringify(trust) }));
      await iam.send(new PutRolePolicyCommand({ RoleName: roleName, PolicyName: 'from-template', PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: statements }) }));
      const out = await sts.send(new AssumeRoleCommand({ RoleArn: created.Role?.Arn as string, RoleSessionName: name }));
      const c = out.Credentials;
      if (!c?.AccessKeyId || !c.SecretAccessKey) throw new Error(`AssumeRole ${roleName} returned no credentials`);
      return { accessKeyId: c.AccessKeyId, secretAccessKey: c.SecretAccessKey, ...(c.SessionToken ? { sessionToken: c.SessionToken } : {}) };
    } finally {
      iam.destroy();
      sts.destroy();
    }
  }
}

/** The statements without any that allow `action` (for proving a statement is needed). */
export function without(statements: PolicyStatement[], action: string): PolicyStatement[] {
  return statements.filter((s) => ![s.Action].flat().includes(action));
}
