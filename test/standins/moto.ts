// Starts the real moto server (from scripts/setup.d/10-moto.sh) on a free loopback port, for AWS SDK
// clients in tests. Usage: const moto = await startMoto(); new XClient(moto.clientConfig); await moto.stop();
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from './free-port.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const motoServerBin = path.join(root, '.tools/venv/bin/moto_server');
const motoPython = path.join(root, '.tools/venv/bin/python');

// moto_server's threads run conditional writes without a lock, so two concurrent requests can both
// pass the same condition; real DynamoDB applies writes to one item one at a time. This launcher is
// moto_server with each request handled under one lock, which makes conditional writes atomic.
const serializedLauncher = `
import os, sys, threading
from werkzeug.serving import run_simple
from moto.moto_server.werkzeug_app import DomainDispatcherApplication, MotoRequestHandler, create_backend_app
host, port = sys.argv[1], int(sys.argv[2])
if len(sys.argv) > 3:  # behaviour patches (test/standins/moto_*.py), each explained in its module
    import importlib
    sys.path.insert(0, sys.argv[3])
    for name in sys.argv[4:]:
        importlib.import_module(name)
os.environ.setdefault("MOTO_PORT", str(port))
app = DomainDispatcherApplication(create_backend_app)
lock = threading.Lock()
def serialized(environ, start_response):
    with lock:
        return list(app(environ, start_response))
run_simple(host, port, serialized, threaded=True, request_handler=MotoRequestHandler)
`;

/** moto accepts any credentials; these make the SDK skip its own credential chain. */
export const motoCredentials = { accessKeyId: 'testing', secretAccessKey: 'testing' };

export interface MotoServer {
  endpoint: string;
  port: number;
  /** Spread into any AWS SDK v3 client constructor. */
  clientConfig: { endpoint: string; region: string; credentials: { accessKeyId: string; secretAccessKey: string } };
  /** Clears every service's state (moto's reset API). */
  reset(): Promise<void>;
  /**
   * Switches moto's IAM enforcement on or off (its reset-auth API). While on, every request must be signed
   * by an IAM user's access key or an assumed role's session, and is allowed only by that principal's
   * policies; `motoCredentials` no longer work. Needs `startMoto({ iam: true })` for resource-scoped checks.
   */
  enforceIam(on: boolean): Promise<void>;
  stop(): Promise<void>;
}

async function waitUntilUp(endpoint: string, child: ChildProcess, output: () => string): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (child.exitCode !== null) throw new Error(`moto_server exited with ${child.exitCode}: ${output()}`);
    try {
      const res = await fetch(`${endpoint}/moto-api/`);
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`moto_server did not answer on ${endpoint}: ${output()}`);
}

export interface MotoOptions {
  region?: string;
  /** Handle one request at a time (default true): conditional writes behave as in AWS. */
  serialize?: boolean;
  /**
   * Prepare IAM enforcement (switched on later with `enforceIam(true)`): requests to DynamoDB, Secrets
   * Manager and Security Hub are authorized on the resource they name, as AWS does (moto_iam_resources.py).
   */
  iam?: boolean;
  /** Cross-account event bus targets deliver the event as sent (its account and region), as EventBridge does (moto_events_forwarding.py). */
  eventsForwarding?: boolean;
  /** KMS Sign/Verify with MessageType DIGEST sign the digest as given, as KMS does (moto_kms_digest.py). */
  kmsDigest?: boolean;
}

export async function startMoto(options: MotoOptions = {}): Promise<MotoServer> {
  if (!existsSync(motoServerBin)) throw new Error(`${motoServerBin} is missing: run \`npm run setup\``);
  for (let attempt = 0; ; attempt++) {
    const port = await freePort();
    const endpoint = `http://127.0.0.1:${port}`;
    const patches = [...(options.iam ? ['moto_iam_resources'] : []), ...(options.eventsForwarding ? ['moto_events_forwarding'] : []), ...(options.kmsDigest ? ['moto_kms_digest'] : [])];
    const [command, args] =
      options.serialize === false && patches.length === 0
        ? [motoServerBin, ['-H', '127.0.0.1', '-p', String(port)]]
        : [motoPython, ['-c', serializedLauncher, '127.0.0.1', String(port), ...(patches.length ? [path.dirname(fileURLToPath(import.meta.url)), ...patches] : [])]];
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let log = '';
    const keep = (chunk: Buffer) => {
      log = (log + chunk.toString('utf8')).slice(-4000);
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    try {
      await waitUntilUp(endpoint, child, () => log);
    } catch (err) {
      child.kill('SIGKILL');
      if (attempt < 2) continue; // the port may have been taken between probe and bind
      throw err;
    }
    const region = options.region ?? 'us-east-1';
    return {
      endpoint,
      port,
      clientConfig: { endpoint, region, credentials: { ...motoCredentials } },
      reset: async () => {
        await fetch(`${endpoint}/moto-api/reset`, { method: 'POST' });
      },
      enforceIam: async (on) => {
        // The body is the number of requests still let through unchecked: 0 enforces at once, inf never.
        const res = await fetch(`${endpoint}/moto-api/reset-auth`, { method: 'POST', body: on ? '0' : 'inf' });
        if (!res.ok) throw new Error(`moto reset-auth answered ${res.status}`);
      },
      stop: () =>
        new Promise<void>((resolve) => {
          if (child.exitCode !== null) return resolve();
          child.once('exit', () => resolve());
          child.kill('SIGTERM');
        }),
    };
  }
}
