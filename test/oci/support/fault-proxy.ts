// A loopback front for a real registry that behaves like the hosted ones at their worst: it answers
// 429 (with Retry-After) or 503 once for chosen paths, and sends blob downloads to a separate "storage"
// origin with a signed URL, recording which headers arrived there.
import { createReadStream } from 'node:fs';
import { createServer, request as httpRequest, type IncomingHttpHeaders, type Server } from 'node:http';
import { freePort } from '../../standins/free-port.ts';
import type { RunningRegistry } from './registry-server.ts';

export interface FaultProxy {
  host: string;
  storageHost: string;
  /** Requests per path (proxy side). */
  hits: Map<string, number>;
  /** Headers of each request the storage origin received. */
  storageRequests: IncomingHttpHeaders[];
  stop(): Promise<void>;
}

export interface Faults {
  /** Paths answered 429 (Retry-After: 1) on their first request. */
  throttleOnce?: (path: string) => boolean;
  /** Paths answered 503 on their first request. */
  failOnce?: (path: string) => boolean;
  /** Paths answered 503 always. */
  failAlways?: (path: string) => boolean;
  /** Paths answered with headers and half a body, then silence (a stalled download). */
  stall?: (path: string) => boolean;
  /** Redirect blob GETs to the storage origin. */
  redirectBlobs?: boolean;
}

async function listen(server: Server): Promise<string> {
  const port = await freePort();
  await new Promise<void>((r) => server.listen(port, '127.0.0.1', r));
  return `127.0.0.1:${port}`;
}

export async function startFaultProxy(registry: RunningRegistry, faults: Faults): Promise<FaultProxy> {
  const hits = new Map<string, number>();
  const storageRequests: IncomingHttpHeaders[] = [];
  const storage = createServer((req, res) => {
    storageRequests.push(req.headers);
    const url = new URL(req.url ?? '/', 'http://storage');
    const digest = url.pathname.slice('/blob/'.length);
    if (url.searchParams.get('sig') !== 'signed') {
      res.writeHead(403);
      res.end('bad signature');
      return;
    }
    res.writeHead(200, { 'content-type': 'application/octet-stream' });
    createReadStream(registry.blobPath(digest)).on('error', () => res.destroy()).pipe(res);
  });
  const storageHost = await listen(storage);
  const proxy = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0]!;
    const n = (hits.get(path) ?? 0) + 1;
    hits.set(path, n);
    if (faults.failAlways?.(path) || (n === 1 && faults.failOnce?.(path))) {
      res.writeHead(503, { 'content-type': 'application/json' });
      res.end('{"errors":[{"code":"UNAVAILABLE","message":"try later"}]}');
      return;
    }
    if (n === 1 && faults.throttleOnce?.(path)) {
      res.writeHead(429, { 'retry-after': '1', 'content-type': 'application/json' });
      res.end('{"errors":[{"code":"TOOMANYREQUESTS"}]}');
      return;
    }
    if (faults.stall?.(path)) {
      res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': '1000000' });
      res.write(Buffer.from([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3]));
      return; // never ends; the client's idle timeout must
    }
    const blob = /^\/v2\/.+\/blobs\/(sha256:[a-f0-9]{64})$/.exec(path);
    if (faults.redirectBlobs && blob && req.method === 'GET' && req.headers.authorization) {
      res.writeHead(307, { location: `http://${storageHost}/blob/${blob[1]}?sig=signed` });
      res.end();
      return;
    }
    const [host, port] = registry.host.split(':');
    const upstream = httpRequest({ host, port: Number(port), path: req.url, method: req.method, headers: { ...req.headers, host: registry.host } }, (up) => {
      const headers = { ...up.headers };
      res.writeHead(up.statusCode ?? 502, headers);
      up.pipe(res);
    });
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  });
  const host = await listen(proxy);
  return {
    host,
    storageHost,
    hits,
    storageRequests,
    stop: async () => {
      proxy.closeAllConnections();
      await new Promise((r) => proxy.close(r));
      await new Promise((r) => storage.close(r));
    },
  };
}
