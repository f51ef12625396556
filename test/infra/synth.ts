// Builds the stack once per test file (bundling with the local esbuild, never Docker) and runs the
// cdk-nag packs over it the way `cdk synth` does.
import { App, type Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks, NIST80053R5Checks } from 'cdk-nag';
import { parsePostureSettings, type PostureSettingsInput } from '../../infra/props.ts';
import { PostureStack } from '../../infra/posture-stack.ts';

export interface Synthesized {
  app: App;
  stack: PostureStack;
  template: Template;
  nag: { rule: string; resource: string; message: string }[];
}

/** `bundle: false` skips esbuild (CDK stages a placeholder asset): for tests of the template only. */
export function synthesize(settings: PostureSettingsInput, options: { bundle?: boolean; outdir?: string } = {}): Synthesized {
  const app = new App({ context: { 'aws:cdk:bundling-stacks': options.bundle === false ? [] : ['**'] }, ...(options.outdir ? { outdir: options.outdir } : {}) });
  const stack = new PostureStack(app, 'Posture', { settings: parsePostureSettings(settings), env: { account: '123456789012', region: 'eu-west-1' } });
  const template = Template.fromStack(stack);
  const nag = [new AwsSolutionsChecks(app), new NIST80053R5Checks(app)].flatMap((pack) =>
    pack.validateScope(stack as Stack).violations.flatMap((v) =>
      v.violatingResources.map((r) => ({ rule: v.ruleName, resource: r.resourceLogicalId ?? '(unknown)', message: v.description })),
    ),
  );
  return { app, stack, template, nag };
}
