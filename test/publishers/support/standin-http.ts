// Plumbing shared by the loopback stand-ins: a node:http server on 127.0.0.1, bounded body reading,
// JSON replies, and the fault injector (seeded, so a failing run can be replayed exactly).
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Clock } from '../../../core/state/clock.ts';

export interface Reply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export type Handler = (req: IncomingMessage, url: URL, body: string) => Reply | Promise<Reply>;

export interface Started {
  url: string;
  server: Server;
  close(): Promise<void>;
}

const defaultMaxBody = 2_000_000;

export async function serve(handler: Handler, options: { maxBody?: number } = {}): Promise<Started> {
  const maxBody = options.maxBody ?? defaultMaxBody;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size <= maxBody) chunks.push(c);
    });
    req.on('end', () => {
      if (size > maxBody) return write(res, { status: 413, body: { errorMessages: ['request too large'] } });
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      Promise.resolve()
        .then(() => handler(req, url, Buffer.concat(chunks).toString('utf8')))
        .then((reply) => write(res, reply))
        .catch((err: Error) => write(res, { status: 500, body: { errorMessages: [`stand-in bug: ${err.message}`] } }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    server,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function write(res: ServerResponse, reply: Reply): void {
  const headers: Record<string, string> = { ...reply.headers };
  let text = '';
  if (reply.body !== undefined) {
    text = typeof reply.body === 'string' ? reply.body : JSON.stringify(reply.body);
    headers['content-type'] ??= 'application/json';
  }
  res.writeHead(reply.status, headers);
  res.end(text);
}

/** Deterministic 0..1 sequence (mulberry32). */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface FaultOptions {
  /** Share of requests that fail (0..1). */
  rate?: number;
  seed?: number;
  /** Every request fails with 503 while true. */
  down?: boolean;
  /** Seconds announced in Retry-After on 429s. */
  retryAfterSeconds?: number;
  /** Every request fails with 503 until this clock time (an outage with a known end). */
  downUntil?: number;
  /** A strict rate limit: a request sooner than this after the last one served gets a 429 with the wait. */
  minIntervalMs?: number;
}

/**
 * Decides, per request, whether to fail it. A 429 opens a window during which every request is
 * refused again (as Jira and ServiceNow do); requests arriving inside it are counted as early retries.
 */
export class Faults {
  down: boolean;
  rate: number;
  downUntil: number;
  minIntervalMs: number;
  earlyRetries = 0;
  injected = 0;
  /** Clock time of each request served (not refused by a fault). */
  readonly served: number[] = [];
  private blockedUntil = 0;
  private readonly random: () => number;
  private readonly retryAfterSeconds: number;

  constructor(
    private readonly clock: Clock,
    options: FaultOptions = {},
    /** How the service announces its wait: both headers, or only the reset time. */
    private readonly announce: (retryAt: number, seconds: number, random: () => number) => Record<string, string> = (_at, s) => ({ 'retry-after': String(s) }),
  ) {
    this.down = options.down ?? false;
    this.rate = options.rate ?? 0;
    this.downUntil = options.downUntil ?? 0;
    this.minIntervalMs = options.minIntervalMs ?? 0;
    this.random = seeded(options.seed ?? 1);
    this.retryAfterSeconds = options.retryAfterSeconds ?? 2;
  }

  /** A reply to send instead of handling the request, or null to handle it. */
  next(): Reply | null {
    const now = this.clock.now();
    if (this.down || now < this.downUntil) {
      this.injected += 1;
      return { status: 503, body: { errorMessages: ['service unavailable'] } };
    }
    if (now < this.blockedUntil) {
      this.earlyRetries += 1;
      const seconds = Math.ceil((this.blockedUntil - now) / 1000);
      return { status: 429, body: { errorMessages: ['rate limit exceeded'] }, headers: this.announce(this.blockedUntil, seconds, this.random) };
    }
    if (this.rate > 0 && this.random() < this.rate) {
      this.injected += 1;
      if (this.random() < 0.5) {
        this.blockedUntil = now + this.retryAfterSeconds * 1000;
        return { status: 429, body: { errorMessages: ['rate limit exceeded'] }, headers: this.announce(this.blockedUntil, this.retryAfterSeconds, this.random) };
      }
      const status = [500, 502, 503, 504][Math.floor(this.random() * 4)] ?? 500;
      return { status, body: '<html>upstream error</html>', headers: { 'content-type': 'text/html' } };
    }
    const last = this.served.at(-1);
    if (this.minIntervalMs > 0 && last !== undefined && now < last + this.minIntervalMs) {
      this.injected += 1;
      this.blockedUntil = last + this.minIntervalMs;
      const seconds = Math.ceil((this.blockedUntil - now) / 1000);
      return { status: 429, body: { errorMessages: ['rate limit exceeded'] }, headers: this.announce(this.blockedUntil, seconds, this.random) };
    }
    this.served.push(now);
    return null;
  }
}

export function basicAuthOk(req: IncomingMessage, user: string, secret: string): boolean {
  return req.headers.authorization === `Basic ${Buffer.from(`${user}:${secret}`).toString('base64')}`;
}
