// Where the policy sources and the compiled bundle live; one place so the build script,
// the engine and the tests agree.
import { fileURLToPath } from 'node:url';
import path from 'node:path';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const policiesDir = path.join(repoRoot, 'policies');
/** Each root is loaded by OPA with paths relative to itself: data/regions.json lands at data.regions. */
export const opaRoots = ['main.rego', 'lib', 'rules', 'data'].map((p) => path.join(policiesDir, p));
export const distDir = process.env.POSTURE_POLICY_DIST ?? path.join(policiesDir, 'dist');
export const entrypoint = 'posture/main/findings';
export const opaBinary = process.env.POSTURE_OPA ?? path.join(repoRoot, '.tools', 'bin', 'opa');
