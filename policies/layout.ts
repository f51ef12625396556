// Where the policy sources and the compiled bundle live; one place so the build script,
// the engine and the tests agree.
import { fileURLToPath } from 'node:url';
import path from 'node:path';

/** Set by the CLI bundle (scripts/lib/cli-bundle.mjs), whose modules sit in dist/cli rather than policies/. */
declare const __POSTURE_REPO_FROM_MODULE__: string | undefined;
const repoFromModule = typeof __POSTURE_REPO_FROM_MODULE__ === 'string' ? __POSTURE_REPO_FROM_MODULE__ : '..';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), repoFromModule);
export const policiesDir = path.join(repoRoot, 'policies');
/** Each root is loaded by OPA with paths relative to itself: data/regions.json lands at data.regions. */
export const opaRoots = ['main.rego', 'lib', 'rules', 'data'].map((p) => path.join(policiesDir, p));
export const distDir = process.env.POSTURE_POLICY_DIST ?? path.join(policiesDir, 'dist');
export const entrypoint = 'posture/main/findings';
/**
 * Left out of the bundle (and of the bench's Go OPA, so both evaluate the same policy): test packages sit under
 * data.posture.rules too, and the entrypoint's `data.posture.rules[rule]` visits every package there in every
 * evaluation, which for ~130 test packages was about a seventh of an evaluation.
 */
export const bundleIgnore = ['*_test.rego'];
export const opaBinary = process.env.POSTURE_OPA ?? path.join(repoRoot, '.tools', 'bin', 'opa');
