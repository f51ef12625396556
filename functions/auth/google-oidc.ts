// Verifies the OIDC token Pub/Sub attaches to a push request: signature against Google's published keys,
// audience, issuer, expiry, and the service account the subscription was configured to sign as.
import { createRemoteJWKSet, errors, jwtVerify, type JWTVerifyGetKey } from 'jose';
import { z } from 'zod';

export const googleJwksUrl = 'https://www.googleapis.com/oauth2/v3/certs';
const googleIssuers = ['https://accounts.google.com', 'accounts.google.com'];

export interface PubSubAuthOptions {
  /** The audience set in the push subscription's `oidcToken` (defaults to the endpoint URL there). */
  audience: string;
  /** Service accounts allowed to push (the subscription's `oidcToken.serviceAccountEmail`). */
  serviceAccounts: readonly string[];
  /** Key set; Google's by default, a loopback one in tests. */
  keys?: JWTVerifyGetKey;
  jwksUrl?: string;
  clockToleranceSeconds?: number;
}

const Claims = z.object({
  email: z.string().min(3),
  email_verified: z.literal(true),
  sub: z.string().min(1),
});

export class AuthError extends Error {
  override name = 'AuthError';
}

export type PubSubVerifier = (authorization: string | undefined) => Promise<{ email: string; sub: string }>;

export function pubSubVerifier(options: PubSubAuthOptions): PubSubVerifier {
  if (options.serviceAccounts.length === 0) throw new Error('Pub/Sub push verification needs at least one expected service account');
  const keys = options.keys ?? createRemoteJWKSet(new URL(options.jwksUrl ?? googleJwksUrl));
  const allowed = new Set(options.serviceAccounts.map((s) => s.toLowerCase()));
  return async (authorization) => {
    const m = /^Bearer\s+([A-Za-z0-9_\-.]+)$/.exec(authorization?.trim() ?? '');
    if (!m?.[1]) throw new AuthError('no bearer token in Authorization header');
    let payload: unknown;
    try {
      ({ payload } = await jwtVerify(m[1], keys, {
        audience: options.audience,
        issuer: googleIssuers,
        algorithms: ['RS256'],
        clockTolerance: options.clockToleranceSeconds ?? 30,
        requiredClaims: ['exp', 'iat', 'aud', 'iss', 'email'],
      }));
    } catch (err) {
      throw new AuthError(`token rejected: ${describeJoseError(err)}`);
    }
    const claims = Claims.safeParse(payload);
    if (!claims.success) throw new AuthError(`token rejected: ${claims.error.issues.map((i) => `${i.path.join('.')} ${i.message}`).join('; ')}`);
    if (!allowed.has(claims.data.email.toLowerCase())) throw new AuthError(`token rejected: service account ${claims.data.email} is not an allowed pusher`);
    return { email: claims.data.email, sub: claims.data.sub };
  };
}

function describeJoseError(err: unknown): string {
  if (err instanceof errors.JWTExpired) return 'expired';
  if (err instanceof errors.JWTClaimValidationFailed) return `claim ${err.claim} ${err.reason}`;
  if (err instanceof errors.JWSSignatureVerificationFailed) return 'bad signature';
  if (err instanceof errors.JWKSNoMatchingKey) return 'signed by an unknown key';
  if (err instanceof errors.JOSEError) return `${err.code}: ${err.message}`;
  return (err as Error).message;
}
