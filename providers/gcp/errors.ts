// Collection errors for Google Cloud: a scope such as `gcp/my-project/gke` and one bounded line naming
// the gRPC / HTTP status, so one refused project is reported while the others are still read.
import { CollectionErrorLog } from '../../core/collection-errors.ts';

export type { CollectionError } from '../../core/collection-errors.ts';

const maxMessage = 600;

// google-gax errors carry the gRPC status as a number (`code`) and, over REST, the HTTP status too.
const grpcNames: Record<number, string> = {
  1: 'CANCELLED', 2: 'UNKNOWN', 3: 'INVALID_ARGUMENT', 4: 'DEADLINE_EXCEEDED', 5: 'NOT_FOUND', 7: 'PERMISSION_DENIED',
  8: 'RESOURCE_EXHAUSTED', 13: 'INTERNAL', 14: 'UNAVAILABLE', 16: 'UNAUTHENTICATED',
};

export function grpcCode(err: unknown): number | undefined {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'number' ? code : undefined;
}

/** Google's REST error body (`{"error":{"code","message","status"}}`), when a client passed it on verbatim. */
function restError(message: string): { status?: string; message?: string; code?: number } | undefined {
  if (!message.startsWith('{')) return undefined;
  try {
    const body = JSON.parse(message) as { error?: { status?: unknown; message?: unknown; code?: unknown } };
    const e = body.error;
    if (!e || typeof e !== 'object') return undefined;
    return {
      ...(typeof e.status === 'string' ? { status: e.status } : {}),
      ...(typeof e.message === 'string' ? { message: e.message } : {}),
      ...(typeof e.code === 'number' ? { code: e.code } : {}),
    };
  } catch {
    return undefined;
  }
}

export function describeGcpError(err: unknown): string {
  const e = (err ?? {}) as { message?: unknown };
  let code = grpcCode(err);
  let message = (typeof e.message === 'string' ? e.message : String(err)).replace(/\s+/g, ' ').trim();
  let status = code !== undefined ? grpcNames[code] : undefined;
  const rest = restError(message);
  if (rest) {
    status = rest.status ?? status;
    message = rest.message ?? message;
    if (rest.status === 'PERMISSION_DENIED' || rest.code === 403) code = 7;
    if (rest.status === 'UNAUTHENTICATED' || rest.code === 401) code = 16;
  }
  // gRPC errors read "7 PERMISSION_DENIED: …"; keep the name, drop the number.
  message = message.replace(/^\d+ (?=[A-Z_]+: )/, '');
  let text = status && !message.startsWith(status) ? `${status}: ${message}` : message;
  if (code === 7) text = `permission denied: ${text}`;
  else if (code === 16) text = `not authenticated (check Application Default Credentials): ${text}`;
  return text.length > maxMessage ? `${text.slice(0, maxMessage)}…` : text;
}

export class ErrorLog extends CollectionErrorLog {
  constructor() {
    super('gcp', describeGcpError);
  }
}
