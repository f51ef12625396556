// Runs the real distribution registry (built by scripts/setup.d/20-registry.sh) on a free loopback
// port, with htpasswd basic auth or token auth, storing blobs in a temp directory tests may tamper with.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import bcrypt from 'bcryptjs';
import { freePort } from '../../standins/free-port.ts';

export const toolsBin = resolve(import.meta.dirname, '../../../.tools/bin');

export type RegistryAuth =
  | { kind: 'htpasswd'; users: Record<string, string> }
  | { kind: 'token'; realm: string; service: string; issuer: string; rootCertBundle: string }
  | { kind: 'none' };

export interface RunningRegistry {
  host: string; // 127.0.0.1:PORT
  root: string; // storage root directory
  blobPath(digest: string): string;
  stop(): Promise<void>;
}

export async function startRegistry(auth: RegistryAuth): Promise<RunningRegistry> {
  const dir = await mkdtemp(join(tmpdir(), 'posture-registry-'));
  const port = await freePort();
  const storage = join(dir, 'storage');
  const lines = [
    'version: 0.1',
    'log:',
    '  level: error',
    '  accesslog:',
    '    disabled: true',
    'storage:',
    '  filesystem:',
    `    rootdirectory: ${storage}`,
    '  delete:',
    '    enabled: true',
    'http:',
    `  addr: 127.0.0.1:${port}`,
    '  secret: posture-test-secret',
  ];
  if (auth.kind === 'htpasswd') {
    const htpasswd = join(dir, 'htpasswd');
    const rows = Object.entries(auth.users).map(([u, p]) => `${u}:${bcrypt.hashSync(p, 5)}`);
    await writeFile(htpasswd, `${rows.join('\n')}\n`);
    lines.push('auth:', '  htpasswd:', '    realm: posture-test', `    path: ${htpasswd}`);
  } else if (auth.kind === 'token') {
    lines.push('auth:', '  token:', `    realm: ${auth.realm}`, `    service: ${auth.service}`, `    issuer: ${auth.issuer}`, `    rootcertbundle: ${auth.rootCertBundle}`);
  }
  const configFile = join(dir, 'config.yml');
  await writeFile(configFile, `${lines.join('\n')}\n`);
  const child = spawn(join(toolsBin, 'registry'), ['serve', configFile], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => {
    stderr = (stderr + d.toString()).slice(-4000);
  });
  const host = `127.0.0.1:${port}`;
  await waitReady(host, child, () => stderr);
  return {
    host,
    root: storage,
    blobPath: (digest) => join(storage, 'docker/registry/v2/blobs/sha256', digest.slice(7, 9), digest.slice(7), 'data'),
    async stop() {
      child.kill('SIGTERM');
      await new Promise((r) => (child.exitCode !== null ? r(null) : child.once('exit', r)));
      await rm(dir, { recursive: true, force: true });
    },
  };
}

async function waitReady(host: string, child: ChildProcess, stderr: () => string): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (child.exitCode !== null) throw new Error(`registry exited (${child.exitCode}): ${stderr()}`);
    try {
      const res = await fetch(`http://${host}/v2/`);
      await res.arrayBuffer();
      if (res.status === 200 || res.status === 401) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  child.kill('SIGKILL');
  throw new Error(`registry on ${host} did not become ready: ${stderr()}`);
}
