// The bearer token posture sends to a Kubernetes API server is a credential like a registry password: an
// answer that echoes it (a 401 whose Status message quotes the header, a proxy's 500 page that dumps the
// request) must not carry it into an error, a report or a log line. The API server here is a loopback HTTPS
// stand-in that does exactly that; the token comes from a kubeconfig, as `posture scan --kubernetes` reads
// it, and from a cloud connection's authorize() (how the EKS, AKS and GKE connections hand theirs over).
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { generate } from 'selfsigned';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { secrets } from '../../core/redact.ts';
import { KubeApi, KubeApiError } from '../../providers/kubernetes/api/client.ts';
import { KubernetesLimits } from '../../providers/kubernetes/settings.ts';
import { writeKubeconfig } from './support/reader.ts';

// Distinct per case and per run (the redactor also scrubs 8-character pieces, so tokens sharing words would
// mask one another), so a pass cannot come from another case having registered the same token.
const fresh = () => randomBytes(20).toString('hex');
const tokens = {
  status401: `kubeconfig-${fresh()}`,
  page500: `kubeconfig-${fresh()}`,
  // The shape of each cloud's token: a presigned STS URL in base64url, an Entra JWT, a Google access token.
  eks: `k8s-aws-v1.${Buffer.from(`https://sts.eu-west-1.amazonaws.com/?Action=GetCallerIdentity&Version=2011-06-15&X-Amz-Signature=${fresh()}`).toString('base64url')}`,
  aks: `eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.${Buffer.from(fresh()).toString('base64url')}.${fresh()}`,
  gke: `ya29.${fresh()}`,
};

let server: Server;
let url: string;
let ca: string;
let dir: string;

beforeAll(async () => {
  const pems = await generate([{ name: 'commonName', value: 'kube.posture.test' }], {
    keySize: 2048,
    extensions: [
      { name: 'basicConstraints', cA: true },
      { name: 'subjectAltName', altNames: [{ type: 7, ip: '127.0.0.1' }] },
    ],
  });
  ca = pems.cert;
  // 401 with a Status that quotes the credential (with and without its scheme); 500 with a plain-text page
  // that dumps the request, header and base64 of the token included.
  server = createServer({ key: pems.private, cert: pems.cert }, (req, res) => {
    const authorization = req.headers.authorization ?? '';
    const token = authorization.replace(/^Bearer /, '');
    if (token === tokens.page500) {
      res.writeHead(500, { 'content-type': 'text/plain' });
      res.end(`proxy error while forwarding GET ${req.url}\nAuthorization: ${authorization}\nx-token-b64: ${Buffer.from(token).toString('base64')}\n`);
      return;
    }
    res.writeHead(401, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ kind: 'Status', apiVersion: 'v1', status: 'Failure', reason: 'Unauthorized', code: 401, message: `token "${token}" is not valid (header ${authorization})` }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
  dir = mkdtempSync(path.join(tmpdir(), 'posture-kube-token-'));
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** Every form an echo could take: as sent, base64, and any 12-character piece of it. */
function leaks(text: string, token: string): string[] {
  const found: string[] = [];
  if (text.includes(token)) found.push('whole');
  if (text.includes(Buffer.from(token).toString('base64').slice(0, 24))) found.push('base64');
  for (let i = 0; i + 12 <= token.length; i += 6) if (text.includes(token.slice(i, i + 12))) found.push(`piece@${i}`);
  return found;
}

describe('Kubernetes bearer tokens', () => {
  it.each([
    ['a 401 Status quoting it', 'status401'],
    ['a 500 page dumping the request', 'page500'],
  ] as const)('from a kubeconfig never leave through %s: not in the report, not on stderr, not in the logs', async (_case, which) => {
    const token = tokens[which];
    const kubeconfig = writeKubeconfig(path.join(dir, `kubeconfig-${which}`), { name: 'echo', server: url, ca }, { echo: { user: 'reader', token } });
    // The installed binary, as a user runs it, with every log line on.
    const run = await promisify(execFile)('node', ['bin/posture.js', 'scan', '--kubernetes', '--kubeconfig', kubeconfig, '--format', 'json', '--no-history'], {
      env: { ...process.env, POSTURE_LOG_LEVEL: 'debug', VITEST: '' },
      maxBuffer: 64 * 1024 * 1024,
    }).catch((err: { code: number; stdout: string; stderr: string }) => err);
    const report = JSON.parse(run.stdout) as { errors: { scope: string; message: string }[] };
    // The cluster did answer with the token in it, and the scan says so (exit 3, the scope's error)…
    expect((run as { code?: number }).code).toBe(3);
    expect(report.errors.map((e) => e.message).join('\n')).toMatch(which === 'status401' ? /Unauthorized \(HTTP 401\): token "\[redacted\]" is not valid/ : /HTTP 500.*Authorization: (Bearer )?\[redacted\]/);
    // …and the log line of the failed scope was written, without it.
    expect(run.stderr).toMatch(/scope collection failed/);
    expect(leaks(run.stdout, token)).toEqual([]);
    expect(leaks(run.stderr, token)).toEqual([]);
  });

  it.each(['eks', 'aks', 'gke'] as const)('handed over by a %s connection are registered before the first request, so the echo is scrubbed', async (distribution) => {
    const token = tokens[distribution];
    expect(secrets.scrub(`echo ${token}`)).toBe(`echo ${token}`); // not known before this cluster is read
    const api = new KubeApi({ cluster: `${distribution}-prod`, distribution, server: url, ca, authorize: async () => ({ authorization: `Bearer ${token}` }) }, KubernetesLimits.parse({}));
    try {
      const err = await api.get('/api').catch((e: unknown) => e);
      expect(err).toBeInstanceOf(KubeApiError);
      // The error still says what the server said; every exit (reports, logs) scrubs it.
      expect((err as Error).message).toMatch(/Unauthorized \(HTTP 401\)/);
      expect(leaks(secrets.scrub((err as Error).message), token)).toEqual([]);
      expect(leaks(secrets.scrub(`Authorization: Bearer ${token}`), token)).toEqual([]);
    } finally {
      await api.close();
    }
  });
});
