// Lambda function URL requests (payload format 2.0) reduced to what the webhook needs, with the body
// size bounded before anything is decoded or parsed.
import type { LambdaFunctionURLEvent } from 'aws-lambda';
import { z } from 'zod';

export const FunctionUrlEvent = z.object({
  rawPath: z.string(),
  rawQueryString: z.string().optional(),
  headers: z.record(z.string(), z.string()).optional(),
  queryStringParameters: z.record(z.string(), z.string()).optional(),
  requestContext: z.object({ http: z.object({ method: z.string(), sourceIp: z.string().optional() }), requestId: z.string().optional() }),
  body: z.string().optional(),
  isBase64Encoded: z.boolean().optional(),
});

export interface HttpRequest {
  method: string;
  path: string;
  /** Header names lower-cased (function URLs already do; tests and other fronts may not). */
  headers: Record<string, string>;
  query: Record<string, string>;
  body: Buffer;
  requestId: string;
  sourceIp: string;
}

export class HttpError extends Error {
  constructor(
    readonly status: number,
    /** Said to the caller; the log gets `message`, which may say more. */
    readonly publicMessage: string,
    message: string,
  ) {
    super(message);
  }
}

export function readRequest(event: LambdaFunctionURLEvent | unknown, maxBodyBytes: number): HttpRequest {
  const parsed = FunctionUrlEvent.safeParse(event);
  if (!parsed.success) throw new HttpError(400, 'bad request', `not a function URL event: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
  const e = parsed.data;
  const raw = e.body ?? '';
  // A base64 body decodes to 3/4 of its length: refuse oversize input before decoding it.
  const encodedLimit = e.isBase64Encoded ? Math.ceil((maxBodyBytes * 4) / 3) + 4 : maxBodyBytes;
  if (raw.length > encodedLimit) throw new HttpError(413, 'payload too large', `body of ${raw.length} characters exceeds the ${maxBodyBytes}-byte limit`);
  const body = e.isBase64Encoded ? Buffer.from(raw, 'base64') : Buffer.from(raw, 'utf8');
  if (body.length > maxBodyBytes) throw new HttpError(413, 'payload too large', `body of ${body.length} bytes exceeds the ${maxBodyBytes}-byte limit`);
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(e.headers ?? {})) headers[k.toLowerCase()] = v;
  return {
    method: e.requestContext.http.method.toUpperCase(),
    path: e.rawPath.replace(/\/+$/, '') || '/',
    headers,
    query: e.queryStringParameters ?? {},
    body,
    requestId: e.requestContext.requestId ?? '',
    sourceIp: e.requestContext.http.sourceIp ?? '',
  };
}

export function parseJsonBody(req: HttpRequest): unknown {
  if (req.body.length === 0) throw new HttpError(400, 'empty body', 'request has an empty body');
  try {
    return JSON.parse(req.body.toString('utf8'));
  } catch (err) {
    throw new HttpError(400, 'body is not JSON', `body is not JSON: ${(err as Error).message}`);
  }
}

/** The structured form of a function URL response (a subset of LambdaFunctionURLResult). */
export interface HttpResponse {
  statusCode: number;
  headers: Record<string, string>;
  body: string;
}

export function json(status: number, body: unknown, headers: Record<string, string> = {}): HttpResponse {
  return { statusCode: status, headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) };
}
