// Collection errors for Azure: a scope such as `azure/<subscription>/aks` and one bounded line with
// ARM's error code (AuthorizationFailed, SubscriptionNotFound, …), so one refused subscription is
// reported while the others are still read.
import { log } from '../../core/log.ts';

export interface CollectionError {
  scope: string;
  message: string;
}

const maxMessage = 600;

/** Resources of one type read per subscription at most. */
export const maxResources = 5000;

export function describeAzureError(err: unknown): string {
  const e = (err ?? {}) as { name?: unknown; code?: unknown; statusCode?: unknown; message?: unknown };
  const message = (typeof e.message === 'string' ? e.message : String(err)).replace(/\s+/g, ' ').trim();
  const code = typeof e.code === 'string' ? e.code : undefined;
  const status = typeof e.statusCode === 'number' ? e.statusCode : undefined;
  let text: string;
  // The SDK's pager keeps ARM's error code but replaces its message with a generic one.
  const generic = /^Pagination failed with unexpected statusCode/.test(message);
  if (code === 'AuthorizationFailed' || status === 403) {
    text = `access denied (${code ?? 'HTTP 403'}): ${generic ? 'the identity may not read this scope (HTTP 403); grant it the Reader role on the subscription' : message}`;
  } else if (status === 401) text = `not authenticated (HTTP 401${code ? ` ${code}` : ''}): ${message}`;
  else if (e.name === 'CredentialUnavailableError' || e.name === 'AuthenticationError') text = `no Azure credential: ${message}`;
  else text = `${code ?? (typeof e.name === 'string' ? e.name : 'Error')}${status ? ` (HTTP ${status})` : ''}: ${message}`;
  return text.length > maxMessage ? `${text.slice(0, maxMessage)}…` : text;
}

/** Errors from concurrent work, each logged once; `guard` turns a failure into a recorded error and `undefined`. */
export class ErrorLog {
  private readonly entries: CollectionError[] = [];

  add(scope: string, err: unknown): void {
    const message = typeof err === 'string' ? err : describeAzureError(err);
    log.warn({ scope, error: message }, 'azure collection error');
    this.entries.push({ scope, message });
  }

  list(): CollectionError[] {
    return [...this.entries].sort((a, b) => a.scope.localeCompare(b.scope) || a.message.localeCompare(b.message));
  }

  async guard<T>(scope: string, work: () => Promise<T>): Promise<T | undefined> {
    try {
      return await work();
    } catch (err) {
      this.add(scope, err);
      return undefined;
    }
  }
}
