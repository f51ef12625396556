// A loopback stand-in for the EKS API server's IAM authenticator (what aws-iam-authenticator does inside EKS),
// as a kube-apiserver token webhook: it takes the bearer token of a TokenReview, checks it is a presigned STS
// GetCallerIdentity URL for a regional or global STS host that signs the cluster header, replays it to STS
// (moto here), and maps the caller's ARN through access entries to a Kubernetes user and groups.
// moto routes requests by their Authorization header, not by query-string signatures, so the replay carries the
// presigned credential and signature there; moto does not verify signatures (eks-token.test.ts checks ours
// against botocore's).
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { request } from 'undici';

export interface AccessEntry {
  username: string;
  groups: string[];
}

export interface EksAuthenticator {
  /** The token webhook URL for kube-apiserver's --authentication-token-webhook-config-file. */
  url: string;
  /** What each review concluded, for assertions. */
  reviews: { authenticated: boolean; arn?: string; reason?: string }[];
  stop(): Promise<void>;
}

const stsHost = /^sts(\.[a-z]{2}(-[a-z]+)+-\d+)?\.amazonaws\.com(\.cn)?$/;

export async function startEksAuthenticator(options: { sts: string; cluster: string; accessEntries: Record<string, AccessEntry> }): Promise<EksAuthenticator> {
  const reviews: EksAuthenticator['reviews'] = [];
  const verify = async (token: string): Promise<{ arn: string } | { reason: string }> => {
    if (!token.startsWith('k8s-aws-v1.')) return { reason: 'not an EKS token' };
    let url: URL;
    try {
      url = new URL(Buffer.from(token.slice('k8s-aws-v1.'.length), 'base64url').toString('utf8'));
    } catch {
      return { reason: 'token is not a URL' };
    }
    const q = url.searchParams;
    if (url.protocol !== 'https:' || !stsHost.test(url.host)) return { reason: `unexpected host ${url.host}` };
    if (q.get('Action') !== 'GetCallerIdentity' || q.get('Version') !== '2011-06-15') return { reason: 'not GetCallerIdentity' };
    if (!(q.get('X-Amz-SignedHeaders') ?? '').split(';').includes('x-k8s-aws-id')) return { reason: 'cluster header not signed' };
    const expires = Number(q.get('X-Amz-Expires'));
    const date = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(q.get('X-Amz-Date') ?? '');
    if (!date || !(expires > 0 && expires <= 900)) return { reason: 'bad expiry' };
    const signedAt = Date.UTC(+date[1]!, +date[2]! - 1, +date[3]!, +date[4]!, +date[5]!, +date[6]!);
    if (Date.now() > signedAt + expires * 1000) return { reason: 'token expired' };
    const res = await request(`${options.sts}/`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        'x-k8s-aws-id': options.cluster,
        authorization: `AWS4-HMAC-SHA256 Credential=${q.get('X-Amz-Credential')}, SignedHeaders=${q.get('X-Amz-SignedHeaders')}, Signature=${q.get('X-Amz-Signature')}`,
        ...(q.get('X-Amz-Security-Token') ? { 'x-amz-security-token': q.get('X-Amz-Security-Token') as string } : {}),
      },
      body: 'Action=GetCallerIdentity&Version=2011-06-15',
    });
    const xml = await res.body.text();
    const arn = /<Arn>([^<]+)<\/Arn>/.exec(xml)?.[1];
    return res.statusCode === 200 && arn ? { arn } : { reason: `STS answered ${res.statusCode}` };
  };

  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', async () => {
      let review: { apiVersion?: string; spec?: { token?: string } } = {};
      try {
        review = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      } catch {
        // answered as unauthenticated below
      }
      const outcome = await verify(review.spec?.token ?? '').catch((err: Error) => ({ reason: err.message }));
      const entry = 'arn' in outcome ? options.accessEntries[outcome.arn] : undefined;
      reviews.push({ authenticated: Boolean(entry), ...('arn' in outcome ? { arn: outcome.arn } : { reason: outcome.reason }) });
      const status = entry ? { authenticated: true, user: { username: entry.username, uid: `aws-iam-authenticator:${('arn' in outcome && outcome.arn) || ''}`, groups: entry.groups } } : { authenticated: false };
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ apiVersion: review.apiVersion ?? 'authentication.k8s.io/v1', kind: 'TokenReview', status }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/authenticate`,
    reviews,
    stop: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
