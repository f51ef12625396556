// The member-account stack, deployed in every account of the organization (by hand, or as a service-managed
// CloudFormation StackSet: it has no assets, so `cdk synth PostureMember` is the StackSet template):
//  - EventBridge rules on the account's default bus forward ECR push and scan events (the same patterns the
//    central stack listens for) to the central organization bus, which admits only this organization;
//  - the scan role the central worker assumes, trusting the central account only, with the read actions
//    the collectors call (providers/aws/permissions.ts) and nothing else.
import { Arn, CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as eventTargets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import type { Construct } from 'constructs';
import { z } from 'zod';
import { awsReadActions } from '../providers/aws/permissions.ts';
import { AwsAccountId, AwsRegionName } from '../providers/aws/settings.ts';
import { suppressMemberFindings } from './nag-suppressions.ts';
import { eventBridgeSources, organizationBusName } from './posture-stack.ts';

export const MemberSettings = z
  .object({
    /** The account running the central posture stack. */
    centralAccount: AwsAccountId,
    /** The central stack's region (its organization bus lives there). */
    centralRegion: AwsRegionName,
    /** Must match the central stack's organization.roleName / rolePath. */
    roleName: z.string().regex(/^[\w+=,.@-]{1,64}$/).default('PostureAudit'),
    rolePath: z.string().regex(/^\/([\w+=,.@-]+\/)*$/).default('/'),
    /** Only pushes to repositories with these prefixes are forwarded (empty: all), as in the central stack. */
    repositoryPrefixes: z.array(z.string().min(1)).default([]),
  })
  .strict();
export type MemberSettings = z.infer<typeof MemberSettings>;
export type MemberSettingsInput = z.input<typeof MemberSettings>;

export function parseMemberSettings(value: unknown, origin = 'CDK context "postureMember"'): MemberSettings {
  const parsed = MemberSettings.safeParse(typeof value === 'string' ? JSON.parse(value) : (value ?? {}));
  if (!parsed.success) throw new Error(`${origin} is invalid: ${z.prettifyError(parsed.error)}`);
  return parsed.data;
}

export interface PostureMemberStackProps extends StackProps {
  settings: MemberSettings;
}

export class PostureMemberStack extends Stack {
  readonly scanRole: iam.Role;

  constructor(scope: Construct, id: string, props: PostureMemberStackProps) {
    super(scope, id, props);
    const s = props.settings;
    const centralBusArn = Arn.format({ partition: this.partition, service: 'events', region: s.centralRegion, account: s.centralAccount, resource: 'event-bus', resourceName: organizationBusName });
    const centralBus = events.EventBus.fromEventBusArn(this, 'CentralBus', centralBusArn);
    // One role for every forwarding rule, allowed to put events on the central bus only.
    const forwardRole = new iam.Role(this, 'ForwardRole', { assumedBy: new iam.ServicePrincipal('events.amazonaws.com'), description: 'posture: forward ECR events to the central bus' });
    const forward = new eventTargets.EventBus(centralBus, { role: forwardRole });
    for (const source of eventBridgeSources()) {
      new events.Rule(this, `Forward${source.ruleId}`, {
        description: `${source.description}: forwarded to the central posture bus`,
        eventPattern: source.pattern({ repositoryPrefixes: s.repositoryPrefixes }) as events.EventPattern,
        targets: [forward],
      });
    }

    this.scanRole = new iam.Role(this, 'ScanRole', {
      roleName: s.roleName,
      path: s.rolePath,
      description: 'posture: read-only scan of ECR, ECS and EKS, assumed by the central posture worker',
      assumedBy: new iam.AccountPrincipal(s.centralAccount),
      inlinePolicies: {
        read: new iam.PolicyDocument({ statements: [new iam.PolicyStatement({ sid: 'ReadContainers', actions: [...awsReadActions], resources: ['*'] })] }),
      },
    });
    suppressMemberFindings(this.scanRole, forwardRole);
    new CfnOutput(this, 'ScanRoleArn', { value: this.scanRole.roleArn });
    new CfnOutput(this, 'CentralBusArn', { value: centralBusArn });
  }
}
