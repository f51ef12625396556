// Credentials stay with their origin, and never come back out. The registry stand-in is run by "the
// attacker": it redirects blobs to another origin that asks for credentials with its own token realm,
// names a foreign token realm in its own challenge, and echoes the credentials it got in error bodies,
// in every form (base64 without the scheme, URL-encoded, a lower-cased header, cut by an excerpt).
import { afterEach, describe, expect, it } from 'vitest';
import { secrets } from '../../core/redact.ts';
import { collectRegistryImage, staticCredentials, type CollectOptions } from '../../providers/oci/index.ts';
import { startHostileRegistry, type HostileRegistry } from './support/hostile-registry.ts';
import { buildLayer } from './support/layers.ts';

const username = 'ci-reader';
const password = 's3cr3t/Pa55+w0rd=Z9';
const basic = Buffer.from(`${username}:${password}`).toString('base64');
/** Every form of the credential a server could hand back, each of which must never reappear. */
const forms = [password, basic, basic.toLowerCase(), encodeURIComponent(password), Buffer.from(password).toString('base64')];
/** Any 8 characters in a row of any form count as a leak too. */
function leaks(text: string): string[] {
  const found: string[] = [];
  const lower = text.toLowerCase();
  for (const form of forms) {
    for (let i = 0; i + 8 <= form.length; i++) {
      const piece = form.slice(i, i + 8).toLowerCase();
      if (lower.includes(piece)) found.push(piece);
    }
  }
  return found;
}

let registry: HostileRegistry | undefined;
afterEach(async () => {
  await registry?.stop();
  registry = undefined;
});

function options(r: HostileRegistry, extra: CollectOptions = {}): CollectOptions {
  return {
    // Plain HTTP is allowed for both loopback origins: transport permission is not trust.
    insecureHosts: [r.host, r.elsewhere],
    credentialProviders: [staticCredentials(r.host, { kind: 'basic', username, password })],
    maxRetries: 0,
    ...extra,
  };
}

const headersSeenElsewhere = (r: HostileRegistry): string =>
  JSON.stringify(r.requests.filter((q) => q.origin === 'elsewhere').map((q) => ({ path: q.path, headers: q.headers })));

describe('credentials stay with their origin', () => {
  it('never answers a 401 from the origin a blob redirect led to, whatever token realm it names', async () => {
    registry = await startHostileRegistry({ basic: { username, password } });
    const r = registry;
    const layer = await buildLayer([{ path: 'etc/os-release', content: 'ID=debian\n' }]);
    r.image('shop/api', '1', [layer]);
    r.on(`/v2/shop/api/blobs/${layer.digest}`, { kind: 'redirect', location: `http://${r.elsewhere}/storage/blob?sig=x` });
    r.onElsewhere('/storage/blob', { kind: 'answer', status: 401, headers: { 'www-authenticate': `Bearer realm="http://${r.elsewhere}/token",service="steal"` }, body: () => '{}' });
    r.onElsewhere('/token', { kind: 'answer', status: 200, body: () => JSON.stringify({ token: 'stolen', expires_in: 60 }) });

    const [asset] = await collectRegistryImage(`oci://${r.host}/shop/api:1`, options(r));
    expect(asset!.image.scanErrors.map((e) => e.code)).toEqual(['registry-unauthorized']);
    expect(asset!.image.scanErrors[0]!.message).toContain(`http://${r.elsewhere}, reached by a redirect, answered 401`);
    expect(r.requests.filter((q) => q.origin === 'elsewhere').map((q) => q.path)).toEqual(['/storage/blob']);
    expect(leaks(headersSeenElsewhere(r))).toEqual([]);
  });

  it('sends credentials only to a token realm that is the registry itself or one the configuration names', async () => {
    registry = await startHostileRegistry({ basic: { username, password }, bearer: { token: 'registry-token-1', realm: (o) => `http://${o.elsewhere}/token` } });
    const r = registry;
    r.image('shop/api', '1', [await buildLayer([{ path: 'etc/os-release', content: 'ID=debian\n' }])]);
    r.onElsewhere('/token', { kind: 'answer', status: 200, body: () => JSON.stringify({ token: 'anonymous-token', expires_in: 60 }) });

    await expect(collectRegistryImage(`oci://${r.host}/shop/api:1`, options(r))).rejects.toThrow(
      new RegExp(`registry answered 401 .*credentials were not sent to token realm http://${r.elsewhere.replaceAll('.', '\\.')}`),
    );
    expect(leaks(headersSeenElsewhere(r))).toEqual([]);
    expect(r.requests.filter((q) => q.origin === 'elsewhere').every((q) => q.headers.authorization === undefined)).toBe(true);

    // Named by configuration, the realm gets them (and answers with a token the registry accepts).
    r.onElsewhere('/token', { kind: 'answer', status: 200, body: (req) => JSON.stringify({ token: req.headers.authorization === `Basic ${basic}` ? 'registry-token-1' : 'nope', expires_in: 60 }) });
    const [asset] = await collectRegistryImage(`oci://${r.host}/shop/api:1`, options(r, { tokenRealms: { [r.host]: [`http://${r.elsewhere}`] } }));
    expect(asset!.image.scanErrors).toEqual([]);
    expect(asset!.image.contents!.os?.id).toBe('debian');
  });
});

describe('credentials never come back out', () => {
  it('scrubs every form of the credentials and the registry token from an error body before it is cut', async () => {
    const token = `eyJhbGciOiJSUzI1NiJ9.${'eyJzdWIiOiJjaS1yZWFkZXIifQ'.repeat(8)}.${'c2lnbmF0dXJl'.repeat(10)}`;
    registry = await startHostileRegistry({ basic: { username, password }, bearer: { token } });
    const r = registry;
    const layer = await buildLayer([{ path: 'etc/os-release', content: 'ID=debian\n' }]);
    r.image('shop/api', '1', [layer]);
    r.on(`/v2/shop/api/blobs/${layer.digest}`, {
      kind: 'answer',
      status: 403,
      // 270 characters of padding put the 300-character excerpt's cut in the middle of the echoed token.
      body: (req) =>
        `${'x'.repeat(270)} ${String(req.headers.authorization)} | authorization: basic ${basic.toLowerCase()} | ${basic} | password=${encodeURIComponent(password)} | raw ${password}`,
    });
    const [asset] = await collectRegistryImage(`oci://${r.host}/shop/api:1`, options(r));
    const message = asset!.image.scanErrors.map((e) => e.message).join('\n');
    expect(asset!.image.scanErrors.map((e) => e.code)).toEqual(['registry-unauthorized']);
    expect(message).toContain('registry answered 403');
    expect(message).toContain('[redacted]');
    expect(leaks(message)).toEqual([]);
    for (let i = 0; i + 8 <= token.length; i += 4) expect(message).not.toContain(token.slice(i, i + 8));
    // The process-wide register also scrubs the same forms wherever else the text goes (logs, reports, outbox).
    expect(leaks(secrets.scrub(`authorization: Basic ${basic} ${password} ${token}`))).toEqual([]);
  });
});
