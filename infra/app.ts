// CDK app entry (`cdk.json` runs it with tsx). Settings come from context key `posture` (cdk.json or
// `-c posture='{"scopes":{…}}'`), validated before anything is built. Synth needs no AWS credentials:
// the stack is environment-agnostic unless CDK_DEFAULT_ACCOUNT/REGION are set. cdk-nag (AWS Solutions
// and NIST 800-53 rev 5) runs as a policy-validation plugin on every synth; `-c nag=off` skips it.
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks, NIST80053R5Checks } from 'cdk-nag';
import { parsePostureSettings } from './props.ts';
import { parseMemberSettings, PostureMemberStack } from './member-stack.ts';
import { PostureStack } from './posture-stack.ts';

const app = new App();
const settings = parsePostureSettings(app.node.tryGetContext('posture'));
const account = process.env.CDK_DEFAULT_ACCOUNT;
const region = process.env.CDK_DEFAULT_REGION;
new PostureStack(app, 'Posture', {
  settings,
  description: 'posture: event-driven multi-cloud container posture scanner',
  ...(account && region ? { env: { account, region } } : {}),
});
// The member-account stack (every account of the organization): `-c postureMember='{"centralAccount":…,"centralRegion":…}'`.
const member = app.node.tryGetContext('postureMember');
if (member) {
  new PostureMemberStack(app, 'PostureMember', { settings: parseMemberSettings(member), description: 'posture member account: forwards ECR events to the central bus; read-only scan role' });
}
if (app.node.tryGetContext('nag') !== 'off') {
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { verbose: true }), new NIST80053R5Checks(app, { verbose: true }));
}
app.synth();
