// Collection errors for Azure: a scope such as `azure/<subscription>/aks` and one bounded line with
// ARM's error code (AuthorizationFailed, SubscriptionNotFound, …), so one refused subscription is
// reported while the others are still read.
import { CollectionErrorLog } from '../../core/collection-errors.ts';

export type { CollectionError } from '../../core/collection-errors.ts';

const maxMessage = 600;

/** Resources of one type read per subscription at most. */
export const maxResources = 5000;

/**
 * Reads a paged SDK listing as plain JSON, at most `maxResources` items: a nextLink chain that never
 * ends (a misbehaving proxy) is cut off and reported for `scope`, not followed forever. Where the list is
 * one input of an asset (a registry's replications), a cut-off list would be judged as if complete: with
 * `whole`, it throws instead, so the input is a collection error.
 */
export async function listBounded(
  pages: AsyncIterable<unknown>,
  what: string,
  scope: string,
  errors: ErrorLog,
  toJson: (item: unknown) => unknown,
  options: { whole?: boolean } = {},
): Promise<unknown[]> {
  const items: unknown[] = [];
  for await (const item of pages) {
    if (items.length >= maxResources) {
      const message = `more than ${maxResources} ${what}; the rest were not read`;
      if (options.whole) throw new Error(message);
      errors.add(scope, message);
      break;
    }
    items.push(toJson(item));
  }
  return items;
}

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

export class ErrorLog extends CollectionErrorLog {
  constructor() {
    super('azure', describeAzureError);
  }
}
