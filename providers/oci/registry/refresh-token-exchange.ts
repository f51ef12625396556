// The OAuth2 exchange ACR uses: an Entra ID (AAD) access token is traded at https://<registry>/oauth2/exchange
// for a registry refresh token, which the Bearer flow then redeems per scope at /oauth2/token.
// Generic over the host so the Azure adapter only supplies the AAD token.
import { z } from 'zod';
import { RegistryError } from '../errors.ts';
import type { RegistryCredentials } from './credentials.ts';
import { errorExcerpt, HttpClient, parseJsonBody, readCapped } from './http.ts';

const ExchangeResponse = z.looseObject({ refresh_token: z.string().min(1) });

export interface ExchangeOptions {
  /** Registry host, e.g. `myregistry.azurecr.io`. */
  host: string;
  /** The identity provider's access token (for ACR: an Entra ID token for https://management.azure.com/ or ACR's audience). */
  accessToken: string;
  tenant?: string;
  /** Plain HTTP, loopback tests only. */
  insecure?: boolean;
  http?: HttpClient;
}

export async function exchangeForRefreshToken(options: ExchangeOptions): Promise<Extract<RegistryCredentials, { kind: 'refresh-token' }>> {
  const http = options.http ?? new HttpClient();
  const url = new URL(`${options.insecure ? 'http' : 'https'}://${options.host}/oauth2/exchange`);
  const form = new URLSearchParams({ grant_type: 'access_token', service: options.host, access_token: options.accessToken });
  if (options.tenant) form.set('tenant', options.tenant);
  try {
    const res = await http.send('POST', url, { 'content-type': 'application/x-www-form-urlencoded' }, form.toString());
    if (res.status !== 200) {
      const why = await errorExcerpt(res);
      throw new RegistryError('registry-unauthorized', `${options.host}: /oauth2/exchange refused the access token (${res.status})${why ? `: ${why}` : ''}`, res.status);
    }
    const parsed = ExchangeResponse.safeParse(parseJsonBody(await readCapped(res, 1024 * 1024, 'exchange response'), `${options.host} /oauth2/exchange`));
    if (!parsed.success) throw new RegistryError('registry-unauthorized', `${options.host}: /oauth2/exchange answered without a refresh_token`, res.status);
    return { kind: 'refresh-token', refreshToken: parsed.data.refresh_token };
  } finally {
    if (!options.http) await http.close();
  }
}
