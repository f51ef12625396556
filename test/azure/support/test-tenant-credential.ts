// The test tenant's token issuer: a TokenCredential (the @azure/core-auth interface every SDK client
// takes) that hands out one distinct token per audience, so the stand-ins can tell an ARM token from an
// ACR token and a client asking for the wrong audience is refused.
import type { AccessToken, TokenCredential } from '@azure/core-auth';

export class TestTenantCredential implements TokenCredential {
  readonly requestedScopes: string[] = [];

  constructor(private readonly tokens: Record<string, string>) {}

  async getToken(scopes: string | string[]): Promise<AccessToken> {
    const list = Array.isArray(scopes) ? scopes : [scopes];
    this.requestedScopes.push(...list);
    const token = this.tokens[list[0] ?? ''];
    if (!token) throw Object.assign(new Error(`test tenant issues no token for ${list.join(' ')}`), { name: 'AuthenticationError' });
    return { token, expiresOnTimestamp: Date.now() + 3600_000, tokenType: 'Bearer' };
  }
}
