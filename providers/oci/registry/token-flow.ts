// The Bearer challenge flow of the distribution spec: ask the challenge's realm for a token for
// `service` and `scope`, with whatever credentials the caller has. OAuth2 refresh tokens (ACR) are
// redeemed with POST grant_type=refresh_token; everything else uses the GET token endpoint.
import { z } from 'zod';
import { RegistryError } from '../errors.ts';
import type { Challenge } from './challenge.ts';
import { basicHeader, type RegistryCredentials } from './credentials.ts';
import { errorExcerpt, parseJsonBody, readCapped, type HttpClient } from './http.ts';

const TokenResponse = z
  .looseObject({
    token: z.string().min(1).optional(),
    access_token: z.string().min(1).optional(),
    expires_in: z.number().positive().optional(),
  })
  .refine((t) => t.token ?? t.access_token, 'neither "token" nor "access_token" present');

export interface BearerToken {
  token: string;
  /** ms since epoch; tokens are renewed a little before this. */
  expiresAt: number;
}

export async function fetchBearerToken(
  http: HttpClient,
  challenge: Challenge,
  credentials: RegistryCredentials,
  scope: string,
  insecureHosts: ReadonlySet<string>,
  signal?: AbortSignal,
): Promise<BearerToken> {
  if (credentials.kind === 'bearer') return { token: credentials.token, expiresAt: Number.POSITIVE_INFINITY };
  const realmText = challenge.params.realm;
  if (!realmText) throw new RegistryError('registry-unauthorized', 'bearer challenge without a realm', 401);
  const realm = new URL(realmText);
  if (realm.protocol !== 'https:' && !insecureHosts.has(realm.host)) {
    throw new RegistryError('registry-unauthorized', `token realm ${realm.origin} is not HTTPS; refusing to send credentials (add it to insecureHosts only for loopback tests)`, 401);
  }
  const service = challenge.params.service;
  let res;
  if (credentials.kind === 'refresh-token') {
    const form = new URLSearchParams({ grant_type: 'refresh_token', refresh_token: credentials.refreshToken, scope });
    if (service) form.set('service', service);
    res = await http.send('POST', realm, { 'content-type': 'application/x-www-form-urlencoded' }, form.toString(), signal);
  } else {
    const url = new URL(realm);
    if (service) url.searchParams.set('service', service);
    url.searchParams.set('scope', scope);
    const headers: Record<string, string> = {};
    if (credentials.kind === 'basic') headers.authorization = basicHeader(credentials.username, credentials.password);
    res = await http.send('GET', url, headers, undefined, signal);
  }
  if (res.status !== 200) {
    const why = await errorExcerpt(res);
    throw new RegistryError('registry-unauthorized', `token endpoint ${realm.origin}${realm.pathname} refused (${res.status}) for scope ${scope}${why ? `: ${why}` : ''}`, res.status);
  }
  const parsed = TokenResponse.safeParse(parseJsonBody(await readCapped(res, 1024 * 1024, 'token response'), `token endpoint ${realm.origin}`));
  if (!parsed.success) throw new RegistryError('registry-unauthorized', `token endpoint ${realm.origin} answered without a usable token: ${z.prettifyError(parsed.error)}`, res.status);
  const expiresIn = parsed.data.expires_in ?? 60; // the spec's default lifetime
  return { token: (parsed.data.token ?? parsed.data.access_token)!, expiresAt: Date.now() + expiresIn * 1000 };
}
