// A real Kubernetes API server for tests: kube-apiserver (built from the Go module proxy by
// scripts/setup.d/50-kube-apiserver.sh) over etcd, both on free loopback ports, with a certificate
// authority, serving and client certificates, a service-account signing key and static bearer tokens
// generated per run. Start one per test file (the pair takes a few seconds and ~330 MB).
//
// What it is not: there is no controller-manager or scheduler, so no `default` service accounts appear
// (ensureDefaultServiceAccounts creates them, or Pods without one are refused by admission), controllers
// produce no Pods and nothing runs. Tests create workloads as API objects.
import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { existsSync, openSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { Agent, request } from 'undici';
import { freePort } from './free-port.ts';

const run = promisify(execFile);
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const bin = (name: string) => path.join(root, '.tools', 'bin', name);

export interface ClientCertificate {
  cert: string;
  key: string;
}

export interface KubeApiServerOptions {
  /** Static bearer tokens: token → user and groups (`--token-auth-file`). */
  tokens?: Record<string, { user: string; groups?: string[] }>;
  /** Client certificates to issue: name → common name (the user) and organizations (the groups). */
  clientCertificates?: Record<string, { user: string; groups?: string[] }>;
  /** A webhook token authenticator (kubeconfig-format config, e.g. a loopback aws-iam-authenticator stand-in). */
  tokenWebhook?: { url: string; ca?: string };
  /** `--authentication-config` (structured authentication, e.g. a JWT issuer standing in for Entra ID). */
  authenticationConfig?: string;
  extraArgs?: string[];
}

export interface KubeApiServer {
  /** `https://127.0.0.1:<port>` */
  url: string;
  /** PEM of the cluster CA (signs the serving and the client certificates). */
  ca: string;
  /** `system:masters` client certificate: setup only. */
  admin: ClientCertificate;
  clients: Record<string, ClientCertificate>;
  /** Resident memory of the two processes (kB, from /proc), read on demand. */
  rssKb(): { apiserver: number; etcd: number };
  /** Milliseconds from spawning etcd to the API server answering /readyz. */
  startedInMs: number;
  /** An admin-authenticated call to the API (JSON in, JSON out); throws with the API's message on a status >= 400. */
  admin$(method: string, apiPath: string, body?: unknown): Promise<unknown>;
  stop(): Promise<void>;
}

export function kubeApiServerAvailable(): boolean {
  return existsSync(bin('kube-apiserver')) && existsSync(bin('etcd'));
}

async function openssl(dir: string, ...args: string[]): Promise<void> {
  await run('openssl', args, { cwd: dir });
}

/** A CA, then leaf certificates it signs: serving (127.0.0.1, localhost) and one client certificate per user. */
async function issueCertificates(dir: string, clients: Record<string, { user: string; groups?: string[] }>): Promise<void> {
  await openssl(dir, 'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'ca.key', '-out', 'ca.crt', '-days', '2', '-subj', '/CN=posture-test-ca');
  const leaf = async (name: string, subject: string, ext: string) => {
    await writeFile(path.join(dir, `${name}.ext`), ext);
    await openssl(dir, 'req', '-newkey', 'rsa:2048', '-nodes', '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', subject);
    await openssl(dir, 'x509', '-req', '-in', `${name}.csr`, '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial', '-out', `${name}.crt`, '-days', '2', '-extfile', `${name}.ext`);
  };
  await leaf('serving', '/CN=kube-apiserver', 'subjectAltName=IP:127.0.0.1,DNS:localhost,DNS:kubernetes.default.svc\nextendedKeyUsage=serverAuth\nkeyUsage=digitalSignature,keyEncipherment\n');
  for (const [name, who] of Object.entries(clients)) {
    const subject = `/CN=${who.user}${(who.groups ?? []).map((g) => `/O=${g}`).join('')}`;
    await leaf(`client-${name}`, subject, 'extendedKeyUsage=clientAuth\nkeyUsage=digitalSignature,keyEncipherment\n');
  }
  await openssl(dir, 'genpkey', '-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048', '-out', 'sa.key');
  await openssl(dir, 'pkey', '-in', 'sa.key', '-pubout', '-out', 'sa.pub');
}

const csvField = (v: string) => `"${v.replaceAll('"', '""')}"`;

function rssOf(pid: number | undefined): number {
  if (!pid) return 0;
  try {
    const m = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) : 0;
  } catch {
    return 0;
  }
}

function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

export async function startKubeApiServer(options: KubeApiServerOptions = {}): Promise<KubeApiServer> {
  if (!kubeApiServerAvailable()) throw new Error('kube-apiserver or etcd is missing from .tools/bin: run `bash scripts/setup.sh --test`');
  const started = Date.now();
  const dir = await mkdtemp(path.join(tmpdir(), 'posture-kube-'));
  const clients = { admin: { user: 'posture-admin', groups: ['system:masters'] }, ...options.clientCertificates };
  await issueCertificates(dir, clients);

  const [etcdClient, etcdPeer, apiPort] = await Promise.all([freePort(), freePort(), freePort()]);
  const children: ChildProcess[] = [];
  const logs = { etcd: path.join(dir, 'etcd.log'), apiserver: path.join(dir, 'kube-apiserver.log') };
  const launch = async (name: keyof typeof logs, command: string, args: string[]): Promise<ChildProcess> => {
    const out = openSync(logs[name], 'a');
    const child = spawn(command, args, { stdio: ['ignore', out, out], env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: dir } });
    children.push(child);
    return child;
  };
  const stopAll = async () => {
    for (const child of [...children].reverse()) await stopProcess(child);
    await rm(dir, { recursive: true, force: true });
  };

  try {
    const etcd = await launch('etcd', bin('etcd'), [
      '--name=posture-test',
      `--data-dir=${path.join(dir, 'etcd')}`,
      `--listen-client-urls=http://127.0.0.1:${etcdClient}`,
      `--advertise-client-urls=http://127.0.0.1:${etcdClient}`,
      `--listen-peer-urls=http://127.0.0.1:${etcdPeer}`,
      `--initial-advertise-peer-urls=http://127.0.0.1:${etcdPeer}`,
      `--initial-cluster=posture-test=http://127.0.0.1:${etcdPeer}`,
      '--log-level=warn',
      // Test data: no fsync per write.
      '--unsafe-no-fsync',
    ]);

    const tokenLines = Object.entries(options.tokens ?? {}).map(([token, who], i) => [token, who.user, `uid-${i}`, (who.groups ?? []).join(',')].map(csvField).join(','));
    await writeFile(path.join(dir, 'tokens.csv'), `${tokenLines.join('\n')}\n`, { mode: 0o600 });
    const args = [
      `--etcd-servers=http://127.0.0.1:${etcdClient}`,
      '--bind-address=127.0.0.1',
      '--advertise-address=127.0.0.1',
      `--secure-port=${apiPort}`,
      // On loopback there is no Endpoints reconciliation to do (and the default refuses 127.0.0.1).
      '--endpoint-reconciler-type=none',
      // Privileged pods are what the collector must see; without this they are refused at creation.
      '--allow-privileged=true',
      '--authorization-mode=RBAC',
      `--client-ca-file=${path.join(dir, 'ca.crt')}`,
      `--tls-cert-file=${path.join(dir, 'serving.crt')}`,
      `--tls-private-key-file=${path.join(dir, 'serving.key')}`,
      `--service-account-key-file=${path.join(dir, 'sa.pub')}`,
      `--service-account-signing-key-file=${path.join(dir, 'sa.key')}`,
      '--service-account-issuer=https://kubernetes.default.svc',
      '--service-cluster-ip-range=10.96.0.0/16',
      `--token-auth-file=${path.join(dir, 'tokens.csv')}`,
      `--cert-dir=${path.join(dir, 'certs')}`,
      '--v=1',
    ];
    if (options.tokenWebhook) {
      const cluster = { server: options.tokenWebhook.url, ...(options.tokenWebhook.ca ? { 'certificate-authority-data': Buffer.from(options.tokenWebhook.ca).toString('base64') } : {}) };
      const config = { apiVersion: 'v1', kind: 'Config', clusters: [{ name: 'webhook', cluster }], users: [{ name: 'apiserver', user: {} }], contexts: [{ name: 'webhook', context: { cluster: 'webhook', user: 'apiserver' } }], 'current-context': 'webhook' };
      await writeFile(path.join(dir, 'token-webhook.json'), JSON.stringify(config));
      args.push(`--authentication-token-webhook-config-file=${path.join(dir, 'token-webhook.json')}`, '--authentication-token-webhook-version=v1', '--authentication-token-webhook-cache-ttl=0s');
    }
    if (options.authenticationConfig) {
      await writeFile(path.join(dir, 'authentication.yaml'), options.authenticationConfig);
      args.push(`--authentication-config=${path.join(dir, 'authentication.yaml')}`);
    }
    args.push(...(options.extraArgs ?? []));
    const apiserver = await launch('apiserver', bin('kube-apiserver'), args);

    const ca = await readFile(path.join(dir, 'ca.crt'), 'utf8');
    const issued: Record<string, ClientCertificate> = {};
    for (const name of Object.keys(clients)) {
      issued[name] = { cert: await readFile(path.join(dir, `client-${name}.crt`), 'utf8'), key: await readFile(path.join(dir, `client-${name}.key`), 'utf8') };
    }
    const admin = issued.admin as ClientCertificate;
    const url = `https://127.0.0.1:${apiPort}`;
    const dispatcher = new Agent({ connect: { ca, cert: admin.cert, key: admin.key } });

    const call = async (method: string, apiPath: string, body?: unknown): Promise<unknown> => {
      const res = await request(`${url}${apiPath}`, {
        method: method as 'GET',
        dispatcher,
        headers: { accept: 'application/json', ...(body === undefined ? {} : { 'content-type': method === 'PATCH' ? 'application/merge-patch+json' : 'application/json' }) },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        headersTimeout: 30_000,
        bodyTimeout: 30_000,
      });
      const text = await res.body.text();
      if (res.statusCode >= 400) throw new Error(`${method} ${apiPath}: HTTP ${res.statusCode}: ${text.slice(0, 500)}`);
      return text ? JSON.parse(text) : null;
    };

    // Ready when /readyz says so (etcd reachable, bootstrap RBAC policy written).
    const deadline = Date.now() + 120_000;
    for (;;) {
      for (const [name, child] of [['etcd', etcd], ['kube-apiserver', apiserver]] as const) {
        if (child.exitCode !== null) throw new Error(`${name} exited with ${child.exitCode}: ${(await readFile(logs[name === 'etcd' ? 'etcd' : 'apiserver'], 'utf8')).slice(-2000)}`);
      }
      const ready = await request(`${url}/readyz`, { dispatcher, headersTimeout: 2_000, bodyTimeout: 2_000 })
        .then(async (r) => {
          await r.body.dump();
          return r.statusCode === 200;
        })
        .catch(() => false);
      if (ready) break;
      if (Date.now() > deadline) throw new Error(`kube-apiserver not ready after 120 s: ${(await readFile(logs.apiserver, 'utf8')).slice(-2000)}`);
      await new Promise((r) => setTimeout(r, 250));
    }
    const startedInMs = Date.now() - started;

    return {
      url,
      ca,
      admin,
      clients: issued,
      startedInMs,
      rssKb: () => ({ apiserver: rssOf(apiserver.pid), etcd: rssOf(etcd.pid) }),
      admin$: call,
      async stop() {
        await dispatcher.close();
        await stopAll();
      },
    };
  } catch (err) {
    await stopAll();
    throw err;
  }
}

/** Creates (or leaves) the `default` ServiceAccount of each namespace: without a controller-manager nobody else does. */
export async function ensureDefaultServiceAccounts(api: KubeApiServer, namespaces: readonly string[]): Promise<void> {
  for (const namespace of namespaces) {
    await api.admin$('POST', `/api/v1/namespaces/${namespace}/serviceaccounts`, { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'default', namespace } }).catch((err: Error) => {
      if (!/HTTP 409/.test(err.message)) throw err;
    });
  }
}
