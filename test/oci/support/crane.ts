// crane, the independent client that pushes test images (so our client never seeds what it reads).
import { execFile } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { toolsBin } from './registry-server.ts';

const run = promisify(execFile);

export interface Crane {
  (...args: string[]): Promise<string>;
}

/** A crane bound to its own docker config dir (logins never touch the user's ~/.docker). */
export async function craneFor(host: string, username?: string, password?: string): Promise<Crane> {
  const dockerConfig = await mkdtemp(join(tmpdir(), 'posture-crane-'));
  const env = { ...process.env, DOCKER_CONFIG: dockerConfig };
  const crane: Crane = async (...args) => {
    try {
      const { stdout } = await run(join(toolsBin, 'crane'), [...args, '--insecure'], { env, maxBuffer: 64 * 1024 * 1024 });
      return stdout.trim();
    } catch (err) {
      const e = err as { stderr?: string; message: string };
      throw new Error(`crane ${args.join(' ')} failed: ${e.stderr ?? e.message}`);
    }
  };
  if (username && password) {
    await run(join(toolsBin, 'crane'), ['auth', 'login', host, '-u', username, '-p', password], { env });
  }
  return crane;
}
