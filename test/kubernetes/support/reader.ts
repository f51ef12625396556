// What the tests that read a cluster as posture share: the shipped posture-reader ClusterRole installed in
// the API server and bound to the identity posture reads as, and a kubeconfig naming that server.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseAllDocuments, stringify } from 'yaml';
import type { KubeApiServer } from '../../standins/kube-apiserver.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

/** Installs providers/kubernetes/rbac/posture-reader.yaml and binds its ClusterRole to each subject (binding name → subject). */
export async function grantPostureReader(api: KubeApiServer, bindings: Record<string, { kind: 'User' | 'Group'; name: string }>): Promise<void> {
  for (const doc of parseAllDocuments(readFileSync(path.join(root, 'providers/kubernetes/rbac/posture-reader.yaml'), 'utf8'))) {
    await api.admin$('POST', '/apis/rbac.authorization.k8s.io/v1/clusterroles', doc.toJSON());
  }
  for (const [name, subject] of Object.entries(bindings)) {
    await api.admin$('POST', '/apis/rbac.authorization.k8s.io/v1/clusterrolebindings', {
      metadata: { name },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'posture-reader' },
      subjects: [{ apiGroup: 'rbac.authorization.k8s.io', ...subject }],
    });
  }
}

/**
 * A kubeconfig (mode 0600) with one cluster and a context per bearer-token user (context name → user and
 * token); the first context is the current one.
 */
export function writeKubeconfig(file: string, cluster: { name: string; server: string; ca: string }, contexts: Record<string, { user: string; token: string }>): string {
  const entries = Object.entries(contexts);
  writeFileSync(
    file,
    stringify({
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [{ name: cluster.name, cluster: { server: cluster.server, 'certificate-authority-data': Buffer.from(cluster.ca).toString('base64') } }],
      users: entries.map(([, c]) => ({ name: c.user, user: { token: c.token } })),
      contexts: entries.map(([name, c]) => ({ name, context: { cluster: cluster.name, user: c.user } })),
      'current-context': entries[0]?.[0],
    }),
    { mode: 0o600 },
  );
  return file;
}
