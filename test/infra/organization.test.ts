// Organization-wide deployment, asserted on the synthesized templates of the central stack (organization
// bus, its policy, the sweep's ListAccounts, the worker's member-role grant) and the member-account stack
// (forwarding rules, read-only scan role trusting the central account only), both cdk-nag clean.
import { App, type Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks, NIST80053R5Checks } from 'cdk-nag';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseMemberSettings, PostureMemberStack } from '../../infra/member-stack.ts';
import { eventBridgeSources, organizationBusName } from '../../infra/posture-stack.ts';
import { envNames } from '../../functions/runtime/env.ts';
import { awsReadActions } from '../../providers/aws/permissions.ts';
import { synthesize, type Synthesized } from './synth.ts';

const org = 'o-a1b2c3d4e5';
const central = '123456789012';
let s: Synthesized;
let member: { template: Template; nag: { rule: string; resource: string }[] };

type Statement = { Sid?: string; Action: string | string[]; Resource: unknown; Effect: string; Principal?: unknown; Condition?: unknown };
const statementsOf = (t: Template, rolePrefix: string): Statement[] =>
  Object.values(t.findResources('AWS::IAM::Policy'))
    .filter((p) => (p.Properties.Roles as { Ref: string }[]).some((r) => r.Ref.startsWith(rolePrefix)))
    .flatMap((p) => p.Properties.PolicyDocument.Statement as Statement[]);

beforeAll(() => {
  s = synthesize({ organization: { id: org, regions: ['eu-west-1', 'us-east-1'], exclude: ['999999999999'] }, scopes: { aws: [{ account: central, regions: ['eu-west-1'] }] } }, { bundle: false });
  const app = new App();
  const stack = new PostureMemberStack(app, 'PostureMember', { settings: parseMemberSettings({ centralAccount: central, centralRegion: 'eu-west-1' }), env: { account: '210987654321', region: 'eu-west-1' } });
  member = {
    template: Template.fromStack(stack),
    nag: [new AwsSolutionsChecks(app), new NIST80053R5Checks(app)].flatMap((pack) =>
      pack.validateScope(stack as Stack).violations.flatMap((v) => v.violatingResources.map((r) => ({ rule: v.ruleName, resource: r.resourceLogicalId ?? '(unknown)' }))),
    ),
  };
}, 120_000);

describe('central stack with an organization', () => {
  it('has an organization bus that admits PutEvents from this organization only', () => {
    s.template.hasResourceProperties('AWS::Events::EventBus', { Name: organizationBusName });
    const policies = s.template.findResources('AWS::Events::EventBusPolicy');
    const statements = Object.values(policies).map((p) => p.Properties.Statement as Statement);
    expect(statements).toHaveLength(1);
    expect(statements[0]).toMatchObject({ Effect: 'Allow', Action: 'events:PutEvents', Principal: { AWS: '*' }, Condition: { StringEquals: { 'aws:PrincipalOrgID': org } } });
  });

  it('routes each forwarded ECR event type from that bus to the ECR function', () => {
    for (const source of eventBridgeSources()) {
      s.template.hasResourceProperties('AWS::Events::Rule', {
        EventBusName: Match.anyValue(),
        EventPattern: Match.objectLike({ source: (source.pattern({ repositoryPrefixes: [] }) as { source: string[] }).source }),
        Targets: [Match.objectLike({ Arn: { 'Fn::GetAtt': [s.stack.getLogicalId(s.stack.functions.ecrPush.node.defaultChild as never), 'Arn'] } })],
      });
    }
    const onOrgBus = Object.values(s.template.findResources('AWS::Events::Rule')).filter((r) => r.Properties.EventBusName !== undefined);
    expect(onOrgBus).toHaveLength(eventBridgeSources().length);
  });

  it('lets the schedule list the organization and the worker assume only the member role, by name', () => {
    expect(statementsOf(s.template, 'ScheduleServiceRole').filter((st) => [st.Action].flat().some((a) => a.startsWith('organizations:')))).toEqual([
      expect.objectContaining({ Sid: 'ListOrganizationAccounts', Action: 'organizations:ListAccounts', Resource: '*' }),
    ]);
    const assume = statementsOf(s.template, 'WorkerServiceRole').filter((st) => [st.Action].flat().includes('sts:AssumeRole'));
    expect(assume).toEqual([expect.objectContaining({ Resource: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::*:role/PostureAudit']] } })]);
    for (const fn of ['Schedule', 'Worker']) {
      const env = Object.values(s.template.findResources('AWS::Lambda::Function')).find((f) => (f.Properties.Role as { 'Fn::GetAtt': string[] })['Fn::GetAtt'][0]?.startsWith(`${fn}ServiceRole`));
      expect(JSON.parse(env?.Properties.Environment.Variables[envNames.organization])).toMatchObject({ id: org, exclude: ['999999999999'], roleName: 'PostureAudit' });
    }
  });

  it('is cdk-nag clean', () => {
    expect(s.nag).toEqual([]);
  });
});

describe('member-account stack', () => {
  it('forwards the same ECR events to the central bus, through a role that may put there only', () => {
    const busArn = { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:events:eu-west-1:${central}:event-bus/${organizationBusName}`]] };
    for (const source of eventBridgeSources()) {
      member.template.hasResourceProperties('AWS::Events::Rule', { EventPattern: Match.objectLike({ 'detail-type': (source.pattern({ repositoryPrefixes: [] }) as { detailType: string[] }).detailType }), Targets: [Match.objectLike({ Arn: busArn })] });
    }
    const put = Object.values(member.template.findResources('AWS::IAM::Policy')).flatMap((p) => p.Properties.PolicyDocument.Statement as Statement[]);
    expect(put).toEqual([expect.objectContaining({ Action: 'events:PutEvents', Resource: busArn })]);
  });

  it('creates the scan role trusting the central account only, with the collectors\' read actions and nothing else', () => {
    const roles = Object.values(member.template.findResources('AWS::IAM::Role')).filter((r) => r.Properties.RoleName === 'PostureAudit');
    expect(roles).toHaveLength(1);
    const role = roles[0]!.Properties;
    expect(role.AssumeRolePolicyDocument.Statement).toEqual([
      { Action: 'sts:AssumeRole', Effect: 'Allow', Principal: { AWS: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:iam::${central}:root`]] } } },
    ]);
    const actions = (role.Policies as { PolicyDocument: { Statement: Statement[] } }[]).flatMap((p) => p.PolicyDocument.Statement.flatMap((st) => [st.Action].flat()));
    expect(actions.sort()).toEqual([...awsReadActions].sort());
  });

  it('is cdk-nag clean', () => {
    expect(member.nag).toEqual([]);
  });
});
