// Token auth against a real registry: the registry verifies JWTs signed by a small token service
// (certificate it trusts), our client runs the Bearer challenge flow with Basic credentials, with an
// ACR-style exchanged refresh token, and through a front that throttles, fails and redirects.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectRegistryImage, exchangeForRefreshToken, staticCredentials, type CollectOptions, type CredentialProvider } from '../../providers/oci/index.ts';
import { craneFor } from './support/crane.ts';
import { startFaultProxy, type FaultProxy } from './support/fault-proxy.ts';
import { debianSpec } from './support/fixtures.ts';
import { writeLayout } from './support/layout-writer.ts';
import { startRegistry, type RunningRegistry } from './support/registry-server.ts';
import { startTokenServer, type TokenServer } from './support/token-server.ts';

let work: string;
let tokens: TokenServer;
let registry: RunningRegistry;
let tokenHost: string;
let digest: string;

// The token service runs on its own origin here, so the provider names it as a realm that may receive the credentials.
const basic = (host: string, password = 'read-secret'): CredentialProvider => staticCredentials(host, { kind: 'basic', username: 'reader', password }, { tokenRealms: [tokens.url] });

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'posture-oci-token-'));
  tokens = await startTokenServer({ dir: work, users: { pusher: 'push-secret', reader: 'read-secret' }, accessTokens: ['aad-access-token'] });
  tokenHost = new URL(tokens.url).host;
  registry = await startRegistry({ kind: 'token', realm: tokens.realm, service: tokens.service, issuer: tokens.issuer, rootCertBundle: tokens.certFile });
  const crane = await craneFor(registry.host, 'pusher', 'push-secret');
  await writeLayout(join(work, 'debian'), await debianSpec());
  await crane('push', join(work, 'debian'), `${registry.host}/shop/api:1.0`);
  digest = await crane('digest', `${registry.host}/shop/api:1.0`);
});

afterAll(async () => {
  await registry?.stop();
  await tokens?.stop();
  if (work) await rm(work, { recursive: true, force: true });
});

describe('registry with token auth', () => {
  it('runs the Bearer challenge flow with Basic credentials at the token realm', async () => {
    const before = tokens.requests.length;
    const [asset] = await collectRegistryImage(`oci://${registry.host}/shop/api:1.0`, { insecureHosts: [registry.host, tokenHost], credentialProviders: [basic(registry.host)] });
    expect(asset!.id).toBe(`oci://${registry.host}/shop/api@${digest}`);
    expect(asset!.image.scanErrors).toEqual([]);
    expect(asset!.image.contents!.packages).toHaveLength(3);
    // One token for the repository scope serves the manifest, the config and every layer.
    expect(tokens.requests.slice(before)).toEqual([{ path: '/oauth2/token', grant: null, ok: true }]);
  });

  it('redeems an exchanged refresh token (the ACR flow) at the same realm', async () => {
    const acr: CredentialProvider = {
      matches: (host) => host === registry.host,
      credentials: () => exchangeForRefreshToken({ host: tokenHost, accessToken: 'aad-access-token', insecure: true }),
      tokenRealms: () => [tokens.url],
    };
    const before = tokens.requests.length;
    const [asset] = await collectRegistryImage(`oci://${registry.host}/shop/api@${digest}`, { insecureHosts: [registry.host, tokenHost], credentialProviders: [acr] });
    expect(asset!.image.contents!.os?.id).toBe('debian');
    expect(tokens.requests.slice(before)).toEqual([
      { path: '/oauth2/exchange', grant: 'access_token', ok: true },
      { path: '/oauth2/token', grant: 'refresh_token', ok: true },
    ]);
  });

  it('names the step that refused: a rejected exchange, refused credentials, or no credentials', async () => {
    const badExchange = exchangeForRefreshToken({ host: tokenHost, accessToken: 'stolen', insecure: true });
    await expect(badExchange).rejects.toMatchObject({ code: 'registry-unauthorized', status: 401 });
    await expect(badExchange).rejects.toThrow(/oauth2\/exchange refused the access token \(401\)/);
    const base = { insecureHosts: [registry.host, tokenHost] };
    await expect(collectRegistryImage(`oci://${registry.host}/shop/api:1.0`, { ...base, credentialProviders: [basic(registry.host, 'wrong')] })).rejects.toThrow(
      /token endpoint .* refused \(401\) for scope repository:shop\/api:pull/,
    );
    await expect(collectRegistryImage(`oci://${registry.host}/shop/api:1.0`, base)).rejects.toMatchObject({ code: 'registry-unauthorized' });
  });

  it('never sends credentials to a plain-HTTP token realm that is not explicitly allowed', async () => {
    const before = tokens.requests.length;
    const err = await collectRegistryImage(`oci://${registry.host}/shop/api:1.0`, { insecureHosts: [registry.host], credentialProviders: [basic(registry.host)] }).catch((e: unknown) => e);
    expect((err as Error).message).toMatch(/token realm http:\/\/.* is not HTTPS; refusing to send credentials/);
    expect(tokens.requests.length).toBe(before);
  });

  describe('through a throttling, failing, redirecting front', () => {
    let proxy: FaultProxy;
    beforeAll(async () => {
      proxy = await startFaultProxy(registry, {
        throttleOnce: (p) => p.includes('/manifests/'),
        failOnce: (p) => p.includes('/blobs/'),
        failAlways: (p) => p.includes('/broken/'),
        redirectBlobs: true,
      });
    });
    afterAll(async () => proxy?.stop());

    it('retries 429 and 503, follows blob redirects and keeps Authorization off the storage origin', async () => {
      const opts: CollectOptions = { insecureHosts: [proxy.host, tokenHost], credentialProviders: [basic(proxy.host)], maxRetries: 2 };
      const [asset] = await collectRegistryImage(`oci://${proxy.host}/shop/api:1.0`, opts);
      expect(asset!.image.digest).toBe(digest);
      expect(asset!.image.scanErrors).toEqual([]);
      expect(asset!.image.contents!.secrets.length).toBeGreaterThan(0);
      const manifestHits = [...proxy.hits].filter(([p]) => p.includes('/manifests/')).map(([, n]) => n);
      expect(manifestHits).toEqual([3]); // 401 challenge, 429, then 200
      const blobPaths = [...proxy.hits].filter(([p]) => p.includes('/blobs/'));
      expect(blobPaths).toHaveLength(4); // config + 3 layers
      for (const [, n] of blobPaths) expect(n).toBe(2); // 503 once, then a redirect
      expect(proxy.storageRequests).toHaveLength(4);
      for (const headers of proxy.storageRequests) expect(headers.authorization).toBeUndefined();
    });

    it('gives up after the retry budget with the status and the registry message', async () => {
      const opts: CollectOptions = { insecureHosts: [proxy.host, tokenHost], credentialProviders: [basic(proxy.host)], maxRetries: 1 };
      const err = await collectRegistryImage(`oci://${proxy.host}/broken/api:1.0`, opts).catch((e: unknown) => e);
      expect(err).toMatchObject({ code: 'registry-error', status: 503 });
      expect((err as Error).message).toContain('try later');
      expect(proxy.hits.get('/v2/broken/api/manifests/1.0')).toBe(2);
    });
  });
});
