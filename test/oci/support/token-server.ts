// A small token service for the registry's `auth.token` mode: it checks credentials and signs JWTs
// (RS256, kid = RFC 7638 thumbprint of a self-signed certificate the registry trusts). It speaks the
// endpoints our client uses, laid out as ACR does: GET /oauth2/token (Basic), POST /oauth2/token (refresh_token grant)
// and POST /oauth2/exchange (access token → refresh token, as ACR).
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { calculateJwkThumbprint, exportJWK, importPKCS8, importX509, SignJWT } from 'jose';
import { freePort } from '../../standins/free-port.ts';

const run = promisify(execFile);

export interface TokenServer {
  url: string; // http://127.0.0.1:PORT
  realm: string;
  service: string;
  issuer: string;
  certFile: string;
  /** Every request seen: path, grant and whether credentials were valid. */
  requests: { path: string; grant: string | null; ok: boolean }[];
  stop(): Promise<void>;
}

export interface TokenServerOptions {
  dir: string;
  users: Record<string, string>;
  /** AAD-style access tokens accepted at /oauth2/exchange. */
  accessTokens?: string[];
}

export async function startTokenServer(options: TokenServerOptions): Promise<TokenServer> {
  const keyFile = join(options.dir, 'token.key');
  const certFile = join(options.dir, 'token.crt');
  await run('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', keyFile, '-out', certFile, '-days', '2', '-subj', '/CN=posture-test-token']);
  const key = await importPKCS8(await readFile(keyFile, 'utf8'), 'RS256');
  const cert = await importX509(await readFile(certFile, 'utf8'), 'RS256', { extractable: true });
  const kid = await calculateJwkThumbprint(await exportJWK(cert), 'sha256');
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const service = 'posture-test-registry';
  const issuer = 'posture-test-issuer';
  const refreshTokens = new Map<string, string>(); // refresh token → user
  const requests: TokenServer['requests'] = [];

  const sign = async (subject: string, scope: string | null): Promise<string> => {
    const access = scope
      ? scope.split(' ').map((s) => {
          const [type, name, actions] = s.split(':');
          return { type, name, actions: (actions ?? '').split(',') };
        })
      : [];
    return new SignJWT({ access })
      .setProtectedHeader({ alg: 'RS256', kid, typ: 'JWT' })
      .setIssuer(issuer)
      .setSubject(subject)
      .setAudience(service)
      .setIssuedAt()
      .setNotBefore('0s')
      .setExpirationTime('5m')
      .setJti(Math.random().toString(36).slice(2))
      .sign(key);
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const u = new URL(req.url ?? '/', url);
    const body = await new Promise<string>((r) => {
      let s = '';
      req.on('data', (d: Buffer) => (s += d.toString()));
      req.on('end', () => r(s));
    });
    const form = new URLSearchParams(body);
    const reply = (status: number, json: object): void => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(json));
    };
    if (req.method === 'GET' && u.pathname === '/oauth2/token') {
      const auth = req.headers.authorization ?? '';
      const [user, pass] = auth.startsWith('Basic ') ? Buffer.from(auth.slice(6), 'base64').toString().split(':') : [];
      const ok = !!user && options.users[user] === pass;
      requests.push({ path: u.pathname, grant: null, ok });
      if (!ok) return reply(401, { errors: [{ code: 'UNAUTHORIZED', message: 'bad credentials' }] });
      const token = await sign(user!, u.searchParams.getAll('scope').join(' ') || null);
      return reply(200, { token, access_token: token, expires_in: 300 });
    }
    if (req.method === 'POST' && u.pathname === '/oauth2/exchange') {
      const ok = form.get('grant_type') === 'access_token' && (options.accessTokens ?? []).includes(form.get('access_token') ?? '');
      requests.push({ path: u.pathname, grant: form.get('grant_type'), ok });
      if (!ok) return reply(401, { errors: [{ code: 'UNAUTHORIZED', message: 'access token rejected' }] });
      const refresh = `refresh-${Math.random().toString(36).slice(2)}`;
      refreshTokens.set(refresh, 'aad-user');
      return reply(200, { refresh_token: refresh });
    }
    if (req.method === 'POST' && u.pathname === '/oauth2/token') {
      const user = refreshTokens.get(form.get('refresh_token') ?? '');
      const ok = form.get('grant_type') === 'refresh_token' && !!user && form.get('service') === service;
      requests.push({ path: u.pathname, grant: form.get('grant_type'), ok });
      if (!ok) return reply(401, { errors: [{ code: 'UNAUTHORIZED', message: 'refresh token rejected' }] });
      return reply(200, { access_token: await sign(user!, form.get('scope')) });
    }
    reply(404, { errors: [{ code: 'NOT_FOUND' }] });
  };

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((err) => {
      res.writeHead(500);
      res.end(String(err));
    });
  });
  await new Promise<void>((r) => server.listen(port, '127.0.0.1', r));
  return {
    url,
    realm: `${url}/oauth2/token`,
    service,
    issuer,
    certFile,
    requests,
    stop: () => new Promise((r) => server.close(() => r())),
  };
}
