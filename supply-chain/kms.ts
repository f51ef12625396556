// Public keys of AWS KMS signing keys (`awskms://` references, as cosign takes them), fetched with KMS
// GetPublicKey under the caller's own identity (the worker's role, the CLI user's profile), once per run.
// A key that cannot be fetched (KMS unreachable, access denied) is not a configuration error: the images its
// policy covers are left unjudged with the reason, never passed or failed on a key nobody could read.
import { createPublicKey } from 'node:crypto';
import { GetPublicKeyCommand, KMSClient } from '@aws-sdk/client-kms';
import type { IamStatement } from '../providers/provider.ts';
import type { CosignKey } from './config.ts';
import { trustedKeyOf, type TrustedKey } from './keys.ts';

/** How long one GetPublicKey may take, retries included. */
const fetchMs = 15_000;

export interface AwsKmsRef {
  /** `host[:port]` from the reference, or null for the SDK's default endpoint. */
  endpoint: string | null;
  /** Key id, `alias/name`, or a key or alias ARN, as KMS takes it. */
  keyId: string;
  /** From an ARN; otherwise the SDK's default region. */
  region: string | null;
}

export function parseAwsKmsRef(ref: string): AwsKmsRef {
  const m = /^awskms:\/\/([^/]*)\/(.+)$/.exec(ref);
  if (!m) throw new Error(`${ref} is not awskms://[endpoint]/<key id, alias/name or ARN>`);
  const keyId = m[2]!;
  const arn = /^arn:[^:]+:kms:([^:]+):\d{12}:(key|alias)\/.+$/.exec(keyId);
  return { endpoint: m[1] || null, keyId, region: arn?.[1] ?? null };
}

export type KmsKeyResult = { ok: true; key: TrustedKey } | { ok: false; reason: string };

/** Fetches the public key of one `awskms://` key; never throws. */
export async function fetchKmsKey(spec: CosignKey & { kms: string }): Promise<KmsKeyResult> {
  const where = `supplyChain key "${spec.name}" (${spec.kms})`;
  let client: KMSClient | undefined;
  try {
    const ref = parseAwsKmsRef(spec.kms);
    client = new KMSClient({
      ...(ref.region ? { region: ref.region } : {}),
      ...(ref.endpoint ? { endpoint: `https://${ref.endpoint}` } : {}),
      maxAttempts: 2,
    });
    const out = await client.send(new GetPublicKeyCommand({ KeyId: ref.keyId }), { abortSignal: AbortSignal.timeout(fetchMs) });
    if (out.KeyUsage !== 'SIGN_VERIFY') return { ok: false, reason: `${where}: KMS key usage is ${out.KeyUsage ?? 'unknown'}, not SIGN_VERIFY: it cannot have signed anything` };
    if (!out.PublicKey) return { ok: false, reason: `${where}: KMS returned no public key` };
    const key = createPublicKey({ key: Buffer.from(out.PublicKey), format: 'der', type: 'spki' });
    return { ok: true, key: trustedKeyOf(spec.name, key, where) };
  } catch (err) {
    const e = err as Error & { name?: string };
    return { ok: false, reason: `${where}: KMS GetPublicKey failed: ${e.name && e.name !== 'Error' ? `${e.name}: ` : ''}${e.message}` };
  } finally {
    client?.destroy();
  }
}

/** What the worker's role needs to read the public keys of the `awskms://` keys posture.yaml names. */
export function kmsIamStatements(refs: readonly string[]): IamStatement[] {
  const resources = new Set<string>();
  for (const ref of refs) {
    const { keyId } = parseAwsKmsRef(ref);
    // A key ARN names the key; an alias (name or ARN) or bare key id resolves in the worker's account at run time.
    if (/^arn:[^:]+:kms:[^:]+:\d{12}:key\//.test(keyId)) resources.add(keyId);
    else if (/^arn:[^:]+:kms:([^:]+):(\d{12}):alias\//.test(keyId)) resources.add(keyId.replace(/:alias\/.*$/, ':key/*'));
    else if (keyId.startsWith('alias/')) resources.add('arn:aws:kms:*:*:key/*');
    else resources.add(`arn:aws:kms:*:*:key/${keyId}`);
  }
  return resources.size ? [{ sid: 'SignatureKmsPublicKeys', actions: ['kms:GetPublicKey'], resources: [...resources].sort() }] : [];
}
