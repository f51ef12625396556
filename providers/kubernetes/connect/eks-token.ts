// The bearer token EKS accepts (what `aws eks get-token` prints): an STS GetCallerIdentity request presigned
// with SigV4 for 60 seconds, with the cluster's name in the signed `x-k8s-aws-id` header, as
// `k8s-aws-v1.` + base64url(URL) without padding. The API server's authenticator replays the URL to STS and
// maps the identity it gets back through the cluster's access entries. No secret leaves the caller: only a
// short-lived signature over one read-only request.
import { createHash, createHmac, type Hash, type Hmac } from 'node:crypto';
import { SignatureV4 } from '@smithy/signature-v4';
import type { AwsCredentialIdentity } from '@smithy/types';

const bytes = (data: string | ArrayBuffer | ArrayBufferView): string | Buffer =>
  typeof data === 'string' ? data : data instanceof ArrayBuffer ? Buffer.from(data) : Buffer.from(data.buffer, data.byteOffset, data.byteLength);

/** SHA-256 / HMAC-SHA-256 in the shape the signer asks for, from node:crypto. */
class Sha256 {
  private readonly hash: Hash | Hmac;
  constructor(secret?: string | ArrayBuffer | ArrayBufferView) {
    this.hash = secret === undefined ? createHash('sha256') : createHmac('sha256', bytes(secret));
  }
  update(data: string | ArrayBuffer | ArrayBufferView): void {
    this.hash.update(bytes(data));
  }
  async digest(): Promise<Uint8Array> {
    return new Uint8Array(this.hash.digest());
  }
}

export const eksTokenPrefix = 'k8s-aws-v1.';
export const clusterIdHeader = 'x-k8s-aws-id';

export interface EksTokenRequest {
  cluster: string;
  region: string;
  credentials: AwsCredentialIdentity;
  now?: Date;
}

export async function eksToken(request: EksTokenRequest): Promise<string> {
  const endpoint = new URL(`https://sts.${request.region}.amazonaws.com${request.region.startsWith('cn-') ? '.cn' : ''}`);
  const signer = new SignatureV4({ service: 'sts', region: request.region, credentials: request.credentials, sha256: Sha256, uriEscapePath: true, applyChecksum: false });
  const signed = await signer.presign(
    {
      method: 'GET',
      protocol: endpoint.protocol,
      hostname: endpoint.hostname,
      ...(endpoint.port ? { port: Number(endpoint.port) } : {}),
      path: endpoint.pathname || '/',
      query: { Action: 'GetCallerIdentity', Version: '2011-06-15' },
      headers: { host: endpoint.host, [clusterIdHeader]: request.cluster },
    },
    { expiresIn: 60, ...(request.now ? { signingDate: request.now } : {}) },
  );
  const url = new URL(`${signed.protocol}//${endpoint.host}${signed.path}`);
  for (const [k, v] of Object.entries(signed.query ?? {})) {
    for (const value of Array.isArray(v) ? v : [v]) if (typeof value === 'string') url.searchParams.append(k, value);
  }
  return `${eksTokenPrefix}${Buffer.from(url.toString()).toString('base64url')}`;
}
