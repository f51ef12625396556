// Where a collection error happened, and what it says. A scope is a path such as
// `aws/222222222222/eu-west-1/ecr/repository/shop/api`, so a report can count and group failures.
import { CollectionErrorLog } from '../../core/collection-errors.ts';

export type { CollectionError } from '../../core/collection-errors.ts';

export function scopeOf(...parts: Array<string | undefined>): string {
  return ['aws', ...parts.filter((p): p is string => Boolean(p))].join('/');
}

const accessDenied = new Set(['AccessDenied', 'AccessDeniedException', 'UnauthorizedOperation', 'UnauthorizedException', 'AuthorizationError', 'AuthorizationErrorException']);
// What AWS answers when the credentials are fine but the region is not enabled for the account.
const regionNotEnabled = new Set(['UnrecognizedClientException', 'InvalidClientTokenId', 'AuthFailure', 'OptInRequired', 'InvalidSignatureException']);

const maxMessage = 600;

/** One line naming the AWS error code and its message; bounded, because error bodies come from the network. */
export function describeAwsError(err: unknown): string {
  const e = (err ?? {}) as { name?: unknown; message?: unknown; $metadata?: { httpStatusCode?: number } };
  const name = typeof e.name === 'string' ? e.name : 'Error';
  const message = (typeof e.message === 'string' ? e.message : String(err)).replace(/\s+/g, ' ').trim();
  const status = e.$metadata?.httpStatusCode;
  let text: string;
  if (accessDenied.has(name)) text = `access denied (${name}): ${message}`;
  else if (regionNotEnabled.has(name)) text = `${name}: ${message} (is the region enabled for this account?)`;
  else if (name === 'SyntaxError' || /Deserialization error/.test(message)) text = `HTTP ${status ?? '?'}: the endpoint did not answer with an AWS API response (${message})`;
  else text = `${name}${status ? ` (HTTP ${status})` : ''}: ${message}`;
  return text.length > maxMessage ? `${text.slice(0, maxMessage)}…` : text;
}

export function errorCode(err: unknown): string | undefined {
  const name = (err as { name?: unknown } | null)?.name;
  return typeof name === 'string' ? name : undefined;
}

export class ErrorLog extends CollectionErrorLog {
  constructor() {
    super('aws', describeAwsError);
  }
}

export type { Attempt } from '../../core/collection-errors.ts';

/** One part of a resource's collection (its node groups, its registry policy, …); see CollectionErrorLog.attempt. */
export const attempt = <T>(errors: ErrorLog, scope: string, work: () => Promise<T>) => errors.attempt(scope, work);
