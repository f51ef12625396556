// One loopback host laid out like an ACR login server: /oauth2/* (exchange and token) answered by the
// test token service, everything else by the real distribution registry behind it.
import { createServer, request, type Server } from 'node:http';
import { freePort } from '../../standins/free-port.ts';

export interface AcrFront {
  host: string;
  stop(): Promise<void>;
  /** Points the front at its backends once they run (the registry needs the front's realm first). */
  route(backends: { registry: string; tokens: string }): void;
}

export async function startAcrFront(): Promise<AcrFront> {
  let backends: { registry: string; tokens: string } | undefined;
  const server: Server = createServer((req, res) => {
    if (!backends) {
      res.writeHead(503);
      res.end();
      return;
    }
    const target = (req.url ?? '/').startsWith('/oauth2/') ? backends.tokens : backends.registry;
    const [host, port] = target.split(':');
    // The Host header stays the front's, so the registry's upload Locations point back at the front.
    const upstream = request({ host, port: Number(port), path: req.url, method: req.method, headers: req.headers }, (up) => {
      res.writeHead(up.statusCode ?? 502, up.headers);
      up.pipe(res);
    });
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  });
  const port = await freePort();
  await new Promise<void>((r) => server.listen(port, '127.0.0.1', r));
  return {
    host: `127.0.0.1:${port}`,
    route: (b) => (backends = b),
    stop: () => new Promise((r) => server.close(() => r())),
  };
}
