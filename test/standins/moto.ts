// moto in server mode on a free loopback port: the AWS API stand-in every AWS-facing suite talks to
// through the real SDK clients. Installed by scripts/setup.d/10-moto.sh into .tools/venv.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const motoServerBin = path.join(root, '.tools', 'venv', 'bin', 'moto_server');

export interface Moto {
  /** e.g. http://127.0.0.1:45331 — pass as `endpoint` to SDK clients. */
  endpoint: string;
  port: number;
  /** Forget every resource (POST /moto-api/reset), so one server can serve several tests. */
  reset(): Promise<void>;
  stop(): Promise<void>;
}

/** Static keys moto accepts; any value works, and these map to moto's default account 123456789012. */
export const motoCredentials = { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' };
export const motoDefaultAccount = '123456789012';

export async function startMoto(options: { env?: Record<string, string>; startTimeoutMs?: number } = {}): Promise<Moto> {
  if (!existsSync(motoServerBin)) throw new Error(`moto_server not found at ${motoServerBin}; run \`npm run setup\``);
  // Port 0: the server picks a free port and prints it, so parallel suites never collide.
  const child = spawn(motoServerBin, ['-H', '127.0.0.1', '-p', '0'], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, MOTO_ALLOW_NONEXISTENT_REGION: 'false', ...options.env },
  });
  const port = await new Promise<number>((resolve, reject) => {
    let seen = '';
    const timer = setTimeout(() => fail(new Error(`moto_server did not report a port within ${options.startTimeoutMs ?? 30_000} ms:\n${seen.slice(-2000)}`)), options.startTimeoutMs ?? 30_000);
    const fail = (err: Error) => {
      clearTimeout(timer);
      child.kill('SIGTERM');
      reject(err);
    };
    const onData = (chunk: Buffer) => {
      seen += chunk.toString('utf8');
      const m = /Running on http:\/\/127\.0\.0\.1:(\d+)/.exec(seen);
      if (m) {
        clearTimeout(timer);
        child.stdout?.off('data', onData);
        child.stderr?.off('data', onData);
        // Keep draining so a chatty server never blocks on a full pipe.
        child.stdout?.resume();
        child.stderr?.resume();
        resolve(Number(m[1]));
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => fail(new Error(`moto_server exited with ${code} before listening:\n${seen.slice(-2000)}`)));
    child.once('error', fail);
  });
  const endpoint = `http://127.0.0.1:${port}`;
  return {
    endpoint,
    port,
    async reset() {
      const res = await fetch(`${endpoint}/moto-api/reset`, { method: 'POST' });
      if (!res.ok) throw new Error(`moto reset failed: HTTP ${res.status}`);
    },
    stop: () => stopChild(child),
  };
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const kill = setTimeout(() => child.kill('SIGKILL'), 5_000);
    child.once('exit', () => {
      clearTimeout(kill);
      resolve();
    });
    child.kill('SIGTERM');
  });
}
