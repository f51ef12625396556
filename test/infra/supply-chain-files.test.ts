// The worker reads the key files its signature policies name from its bundle (Lambda runs in the bundle's
// directory): the stack's bundling copies them there at the same relative path, and refuses at synthesis a
// path the bundle cannot reproduce.
import { execFileSync } from 'node:child_process';
import { mkdtemp, mkdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { supplyChainFileCopies } from '../../infra/posture-stack.ts';

const cwd = process.cwd();
afterEach(() => process.chdir(cwd));

const policy = (file: string) => ['supplyChain:', '  policies:', '    - name: release', '      match: ["ghcr.io/acme/**"]', '      cosign:', `        keys: [{ name: release, file: ${file} }]`].join('\n');

it('copies each key file into the bundle at its relative path', async () => {
  const project = await mkdtemp(join(tmpdir(), 'posture-synth-'));
  const out = await mkdtemp(join(tmpdir(), 'posture-bundle-'));
  await mkdir(join(project, 'keys'));
  await writeFile(join(project, 'keys/cosign.pub'), 'PUBLIC KEY BYTES');
  await writeFile(join(project, 'posture.yaml'), policy('keys/cosign.pub'));
  process.chdir(project);
  const commands = supplyChainFileCopies('posture.yaml', out);
  expect(commands).toHaveLength(1);
  for (const c of commands) execFileSync('bash', ['-c', c]);
  expect(await readFile(join(out, 'keys/cosign.pub'), 'utf8')).toBe('PUBLIC KEY BYTES');
});

it.each(['/etc/keys/cosign.pub', '../keys/cosign.pub'])('refuses a key file the bundle cannot hold at the same path (%s)', async (file) => {
  const project = await mkdtemp(join(tmpdir(), 'posture-synth-'));
  await writeFile(join(project, 'posture.yaml'), policy(file));
  process.chdir(project);
  expect(() => supplyChainFileCopies('posture.yaml', '/tmp/out')).toThrow(`supplyChain file ${file} cannot ship with the worker`);
});
