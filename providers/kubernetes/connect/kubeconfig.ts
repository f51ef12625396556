// A kubeconfig context as a cluster connection, through @kubernetes/client-node: it reads the file the way
// kubectl does (KUBECONFIG, ~/.kube/config), and supplies the credentials the context names — client
// certificates, tokens, or an exec plugin such as `aws eks get-token`, gke-gcloud-auth-plugin or kubelogin.
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';
import type { ClusterConnection } from '../api/client.ts';

/** The kubeconfig file to read: the configured one, else $KUBECONFIG's first entry, else ~/.kube/config. */
export function kubeconfigPath(configured: string | undefined, env: NodeJS.ProcessEnv = process.env): string {
  if (configured) return configured;
  const first = env.KUBECONFIG?.split(path.delimiter).find(Boolean);
  return first ?? path.join(homedir(), '.kube', 'config');
}

export function loadKubeconfig(file: string): KubeConfig {
  if (!existsSync(file)) throw new Error(`no kubeconfig at ${file}: name one with --kubeconfig or kubernetes.kubeconfig`);
  const kc = new KubeConfig();
  try {
    kc.loadFromFile(file);
  } catch (err) {
    throw new Error(`kubeconfig ${file} cannot be read: ${(err as Error).message}`);
  }
  return kc;
}

/** The contexts to read: the ones asked for (each must exist), else the current one. */
export function contextsToRead(kc: KubeConfig, file: string, asked: readonly string[]): string[] {
  const known = new Set(kc.getContexts().map((c) => c.name));
  for (const name of asked) if (!known.has(name)) throw new Error(`kubeconfig ${file} has no context "${name}" (it has ${[...known].join(', ') || 'none'})`);
  if (asked.length > 0) return [...asked];
  const current = kc.getCurrentContext();
  if (!current || !known.has(current)) throw new Error(`kubeconfig ${file} names no current context: pick one with --context`);
  return [current];
}

const text = (v: unknown): string | undefined => (typeof v === 'string' ? v : Buffer.isBuffer(v) ? v.toString('utf8') : undefined);

export async function kubeconfigConnection(kc: KubeConfig, context: string): Promise<ClusterConnection> {
  const ctx = kc.getContextObject(context);
  if (!ctx) throw new Error(`no kubeconfig context "${context}"`);
  const cluster = kc.getCluster(ctx.cluster);
  if (!cluster) throw new Error(`kubeconfig context "${context}" names cluster "${ctx.cluster}", which is not in the file`);
  if (cluster.skipTLSVerify) throw new Error(`kubeconfig cluster "${cluster.name}" skips TLS verification; posture sends credentials only to a server it can verify`);
  const scoped = new KubeConfig();
  scoped.loadFromString(kc.exportConfig());
  scoped.setCurrentContext(context);
  // What the context's user needs on the wire (certificates, Authorization), with exec plugins run.
  const options: { ca?: unknown; cert?: unknown; key?: unknown; servername?: unknown; headers?: Record<string, unknown> } = { headers: {} };
  await scoped.applyToHTTPSOptions(options as never);
  const headers = Object.fromEntries(Object.entries(options.headers ?? {}).flatMap(([k, v]) => (typeof v === 'string' ? [[k.toLowerCase(), v]] : [])));
  const ca = text(options.ca);
  const cert = text(options.cert);
  const key = text(options.key);
  const servername = text(options.servername) ?? cluster.tlsServerName;
  return {
    cluster: cluster.name,
    distribution: 'kubernetes',
    server: cluster.server,
    ...(ca ? { ca } : {}),
    ...(servername ? { tlsServerName: servername } : {}),
    ...(cert && key ? { clientCertificate: { cert, key } } : {}),
    authorize: async () => headers,
  };
}
