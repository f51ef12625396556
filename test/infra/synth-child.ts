// Run by synthesizeBundled (synth.ts): synthesizes the stack with its functions bundled into argv[3].
import { App } from 'aws-cdk-lib';
import { parsePostureSettings } from '../../infra/props.ts';
import { PostureStack } from '../../infra/posture-stack.ts';

const [settings, outdir] = process.argv.slice(2);
if (!settings || !outdir) throw new Error('usage: synth-child.ts <settings JSON> <outdir>');
const app = new App({ outdir, context: { 'aws:cdk:bundling-stacks': ['**'] } });
new PostureStack(app, 'Posture', { settings: parsePostureSettings(JSON.parse(settings)), env: { account: '123456789012', region: 'eu-west-1' } });
app.synth();
