// Builds the stack once per test file (bundling with the local esbuild, never Docker) and runs the
// cdk-nag packs over it the way `cdk synth` does.
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
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

/** The part of the bundled template the bundle tests read: each function's asset key. */
export interface BundledTemplate {
  Resources: Record<string, { Type: string; Properties: { Code?: { S3Key?: string } } }>;
}

/**
 * Synthesizes with every function bundled in a child process and returns the template it wrote to `outdir`.
 * CDK bundles inside the synchronous stack constructor (one esbuild run per function, spawned synchronously);
 * on a loaded machine that blocked the test runner's event loop for over a minute, longer than vitest's RPC
 * timeout. The logical ids are the same as an in-process synthesis of the same settings.
 */
export async function synthesizeBundled(settings: PostureSettingsInput, outdir: string): Promise<BundledTemplate> {
  const child = path.join(import.meta.dirname, 'synth-child.ts');
  await promisify(execFile)(process.execPath, ['--import', 'tsx', child, JSON.stringify(settings), outdir], { cwd: path.join(import.meta.dirname, '../..'), timeout: 600_000, maxBuffer: 16 << 20 });
  return JSON.parse(readFileSync(path.join(outdir, 'Posture.template.json'), 'utf8')) as BundledTemplate;
}
