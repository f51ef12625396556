// How callers hand the registry client credentials. Cloud adapters implement CredentialProvider:
//   ECR               → basic { username: 'AWS', password: <GetAuthorizationToken password> }
//   Artifact Registry → basic { username: 'oauth2accesstoken', password: <Google access token> }
//   ACR               → refresh-token (from exchangeForRefreshToken with an Entra ID access token)
// The client then runs whatever the registry's challenge asks for (Basic, or the Bearer token flow).

export type RegistryCredentials =
  | { kind: 'anonymous' }
  /** Sent as Basic auth, or to the token realm when the registry asks for a Bearer token. */
  | { kind: 'basic'; username: string; password: string }
  /** A registry access token used as-is (`Authorization: Bearer …`), no token endpoint involved. */
  | { kind: 'bearer'; token: string }
  /** An OAuth2 refresh token redeemed at the challenge realm (POST grant_type=refresh_token), as ACR does. */
  | { kind: 'refresh-token'; refreshToken: string };

export interface CredentialProvider {
  /** True when this provider is responsible for `host` (e.g. `*.dkr.ecr.*.amazonaws.com`). */
  matches(host: string): boolean;
  /** `scope` is the token scope the registry asked for, e.g. `repository:shop/api:pull`. */
  credentials(host: string, scope: string): Promise<RegistryCredentials>;
  /**
   * Token realm origins other than the registry's own that may receive these credentials (Docker Hub's
   * is https://auth.docker.io). Any other realm a challenge names gets an anonymous token request.
   */
  tokenRealms?(host: string): readonly string[];
}

/** Fixed credentials for one host (tests, a pull secret), optionally with the token realms it trusts. */
export function staticCredentials(host: string, credentials: RegistryCredentials, options: { tokenRealms?: readonly string[] } = {}): CredentialProvider {
  return { matches: (h) => h === host, credentials: async () => credentials, tokenRealms: () => options.tokenRealms ?? [] };
}

export function providerFor(providers: readonly CredentialProvider[] | undefined, host: string): CredentialProvider | undefined {
  return providers?.find((p) => p.matches(host));
}

export function basicHeader(username: string, password: string): string {
  return `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;
}
