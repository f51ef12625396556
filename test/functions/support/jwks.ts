// A loopback stand-in for Google's OIDC key endpoint (https://www.googleapis.com/oauth2/v3/certs) and a
// signer that mints Pub/Sub push tokens with the claims Google puts in them (wire-formats §4.3).
import { createServer, type Server } from 'node:http';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK } from 'jose';

export interface PushTokenClaims {
  aud?: string;
  iss?: string;
  email?: string;
  email_verified?: boolean;
  sub?: string;
  /** Seconds relative to now. */
  expiresIn?: number;
  issuedAgo?: number;
}

export interface GoogleKeys {
  url: string;
  sign(claims?: PushTokenClaims): Promise<string>;
  /** Same claims, signed by a key the JWKS does not publish (a forger's). */
  signForged(claims?: PushTokenClaims): Promise<string>;
  close(): Promise<void>;
}

async function keyPair(kid: string): Promise<{ privateKey: CryptoKey; jwk: JWK }> {
  const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true });
  return { privateKey, jwk: { ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' } };
}

export async function startGoogleKeys(defaults: Required<Pick<PushTokenClaims, 'aud' | 'email'>>): Promise<GoogleKeys> {
  const real = await keyPair('posture-test-key-1');
  const forger = await keyPair('posture-test-key-1'); // same kid, different key: only the signature differs
  const server: Server = createServer((req, res) => {
    if (req.url === '/oauth2/v3/certs') {
      res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'public, max-age=60' });
      res.end(JSON.stringify({ keys: [real.jwk] }));
      return;
    }
    res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  const sign = (key: CryptoKey) => async (claims: PushTokenClaims = {}) => {
    const now = Math.floor(Date.now() / 1000);
    const iat = now - (claims.issuedAgo ?? 5);
    return new SignJWT({
      email: claims.email ?? defaults.email,
      email_verified: claims.email_verified ?? true,
      azp: '1234567890',
    })
      .setProtectedHeader({ alg: 'RS256', kid: 'posture-test-key-1', typ: 'JWT' })
      .setIssuer(claims.iss ?? 'https://accounts.google.com')
      .setAudience(claims.aud ?? defaults.aud)
      .setSubject(claims.sub ?? '1234567890')
      .setIssuedAt(iat)
      .setExpirationTime(now + (claims.expiresIn ?? 3600))
      .sign(key);
  };
  return {
    url: `http://127.0.0.1:${port}/oauth2/v3/certs`,
    sign: sign(real.privateKey),
    signForged: sign(forger.privateKey),
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
