// Collection errors for Kubernetes: one bounded line naming what the API server said (Forbidden, NotFound,
// Expired …), a cap that was reached, or the network failure, so a refused namespace is reported on its own.
import { KubeApiError, KubeLimitError } from './api/client.ts';

const maxMessage = 600;

export function describeKubeError(err: unknown): string {
  let text: string;
  if (err instanceof KubeApiError) {
    const hint =
      err.status === 401
        ? ' (the credentials were not accepted: check the access entry, role binding or kubeconfig user)'
        : err.status === 403
          ? ' (RBAC does not allow it: bind the posture-reader ClusterRole, see docs/kubernetes.md)'
          : err.status === 410
            ? ' (the list changed too much while it was paged; the next run reads it again)'
            : '';
    text = `${err.message}${hint}`;
  } else if (err instanceof KubeLimitError) {
    text = `limit reached: ${err.message}`;
  } else {
    const e = (err ?? {}) as { code?: unknown; message?: unknown; cause?: { code?: unknown; message?: unknown } };
    const code = typeof e.code === 'string' ? e.code : typeof e.cause?.code === 'string' ? e.cause.code : undefined;
    const message = typeof e.message === 'string' ? e.message : String(err);
    const cause = typeof e.cause?.message === 'string' && e.cause.message !== message ? `: ${e.cause.message}` : '';
    text = `${code ? `${code}: ` : ''}${message}${cause}`;
  }
  text = text.replace(/\s+/g, ' ').trim();
  return text.length > maxMessage ? `${text.slice(0, maxMessage)}…` : text;
}
