// A loopback stand-in for Google's Security Token Service (`POST /v1/token`) as workload identity
// federation with the AWS provider uses it: the subject token is a serialized, SigV4-signed STS
// GetCallerIdentity request. The stand-in checks its shape (as Google does before replaying it to AWS)
// and issues an access token.
import { createServer, type Server } from 'node:http';

export interface GoogleStsStandIn {
  tokenUrl: string;
  accessToken: string;
  exchanges: { audience: string; signedBy: string; region: string }[];
  rejected: string[];
  stop(): Promise<void>;
}

interface SignedRequest {
  url: string;
  method: string;
  headers: { key: string; value: string }[];
}

export async function startGoogleSts(options: { audience: string; accessToken: string }): Promise<GoogleStsStandIn> {
  const exchanges: GoogleStsStandIn['exchanges'] = [];
  const rejected: string[] = [];
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (d: Buffer) => (body += d.toString()));
    req.on('end', () => {
      const reply = (status: number, json: object) => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(json));
      };
      const refuse = (why: string) => {
        rejected.push(why);
        reply(400, { error: 'invalid_grant', error_description: why });
      };
      const form = new URLSearchParams(body);
      if (req.method !== 'POST' || req.url !== '/v1/token') return reply(404, { error: 'not_found' });
      if (form.get('grant_type') !== 'urn:ietf:params:oauth:grant-type:token-exchange') return refuse('grant_type');
      if (form.get('subject_token_type') !== 'urn:ietf:params:aws:token-type:aws4_request') return refuse('subject_token_type');
      if (form.get('audience') !== options.audience) return refuse(`audience ${form.get('audience')}`);
      let signed: SignedRequest;
      try {
        signed = JSON.parse(decodeURIComponent(form.get('subject_token') ?? '')) as SignedRequest;
      } catch {
        return refuse('subject_token is not a serialized request');
      }
      const header = (k: string) => signed.headers.find((h) => h.key.toLowerCase() === k)?.value ?? '';
      const url = new URL(signed.url);
      const auth = /^AWS4-HMAC-SHA256 Credential=([A-Z0-9]+)\/\d{8}\/([a-z0-9-]+)\/sts\/aws4_request, SignedHeaders=([^,]+), Signature=[0-9a-f]{64}$/.exec(header('authorization'));
      if (signed.method !== 'POST' || url.searchParams.get('Action') !== 'GetCallerIdentity') return refuse('not a GetCallerIdentity request');
      if (!auth) return refuse('not SigV4 signed');
      // google-auth-library adds the target resource after signing, so it is compared, not verified.
      if (header('x-goog-cloud-target-resource') !== options.audience) return refuse('target resource header missing or wrong');
      if (!auth[3]!.split(';').includes('host') || !header('x-amz-date')) return refuse('host and date not signed');
      exchanges.push({ audience: options.audience, signedBy: auth[1]!, region: auth[2]! });
      reply(200, { access_token: options.accessToken, issued_token_type: 'urn:ietf:params:oauth:token-type:access_token', token_type: 'Bearer', expires_in: 3600 });
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  return { tokenUrl: `http://127.0.0.1:${port}/v1/token`, accessToken: options.accessToken, exchanges, rejected, stop: () => new Promise((r) => server.close(() => r())) };
}
