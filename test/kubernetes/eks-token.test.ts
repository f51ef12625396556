// The EKS bearer token against an independent implementation: botocore (the library `aws eks get-token`
// is built on, from the moto test environment) presigns the same GetCallerIdentity request with the
// cluster header at the same instant; the signatures must be the same. The real API-server path (a token
// webhook that replays the URL to STS) is in eks-auth.test.ts.
import { execFile } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { eksToken, eksTokenPrefix } from '../../providers/kubernetes/connect/eks-token.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const python = path.join(root, '.tools/venv/bin/python');

// What awscli's `eks get-token` does: a botocore STS client, the x-k8s-aws-id header added before signing,
// a 60-second presigned GET. The clock is pinned so both sides sign the same instant.
const botocorePresign = `
import datetime, sys
from unittest import mock
import botocore.session
region, cluster, key, secret, when = sys.argv[1:6]
fixed = datetime.datetime.strptime(when, "%Y%m%dT%H%M%SZ").replace(tzinfo=datetime.timezone.utc)
session = botocore.session.get_session()
client = session.create_client("sts", region_name=region, aws_access_key_id=key, aws_secret_access_key=secret)
def add_cluster(request, **kwargs):
    request.headers["x-k8s-aws-id"] = cluster
client.meta.events.register("before-sign.sts.GetCallerIdentity", add_cluster)
with mock.patch("botocore.auth.get_current_datetime", return_value=fixed):
    print(client.generate_presigned_url("get_caller_identity", Params={}, ExpiresIn=60, HttpMethod="GET"))
`;

const decode = (token: string) => new URL(Buffer.from(token.slice(eksTokenPrefix.length), 'base64url').toString('utf8'));

describe('EKS token', () => {
  it('is the presigned GetCallerIdentity URL botocore makes for the same cluster, credentials and instant', async () => {
    const credentials = { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' };
    const now = new Date('2026-11-26T10:20:30Z');
    const token = await eksToken({ cluster: 'prod-eu', region: 'eu-west-1', credentials, now });
    expect(token.startsWith('k8s-aws-v1.')).toBe(true);
    expect(token).not.toMatch(/[=+/]/); // base64url without padding
    const ours = decode(token);
    const { stdout } = await promisify(execFile)(python, ['-c', botocorePresign, 'eu-west-1', 'prod-eu', credentials.accessKeyId, credentials.secretAccessKey, '20261126T102030Z']);
    const theirs = new URL(stdout.trim());
    expect(ours.host).toBe('sts.eu-west-1.amazonaws.com');
    expect(ours.host).toBe(theirs.host);
    const params = (u: URL) => Object.fromEntries([...u.searchParams.entries()].sort());
    expect(params(ours)).toEqual(params(theirs));
    expect(ours.searchParams.get('X-Amz-SignedHeaders')).toBe('host;x-k8s-aws-id');
    expect(ours.searchParams.get('X-Amz-Expires')).toBe('60');
  });

  it('signs the session token of temporary credentials into the URL', async () => {
    const token = await eksToken({ cluster: 'prod', region: 'us-east-1', credentials: { accessKeyId: 'ASIAEXAMPLE', secretAccessKey: 's', sessionToken: 'session/token+value' } });
    expect(decode(token).searchParams.get('X-Amz-Security-Token')).toBe('session/token+value');
  });
});
