// cosign's legacy signature form: the tag `sha256-<hex>.sig` holds a manifest whose every layer is one
// signature. The layer blob is a "simple signing" JSON payload naming the signed manifest digest; the
// layer's annotation `dev.cosignproject.cosign/signature` holds the base64 signature over those bytes.
import { verify } from 'node:crypto';
import { z } from 'zod';
import type { SupplyChainProblem, SupplyChainSigner } from '../core/asset.ts';
import type { Descriptor } from '../providers/oci/manifest.ts';
import type { TrustedKey } from './keys.ts';

export const signatureAnnotation = 'dev.cosignproject.cosign/signature';

const SimpleSigningPayload = z.looseObject({
  critical: z.looseObject({
    type: z.literal('cosign container image signature'),
    image: z.looseObject({ 'docker-manifest-digest': z.string() }),
  }),
});

export interface Verdict {
  verified: boolean;
  signer: SupplyChainSigner | null;
  problem: SupplyChainProblem | null;
}

/** Verifies one layer (one signature) of a `.sig` manifest over `subject`, the image digest it was found for. */
export async function verifySimpleSigningLayer(
  layer: Descriptor & { annotations?: Record<string, string> | undefined },
  readBlob: (d: Descriptor) => Promise<Buffer>,
  keys: readonly TrustedKey[],
  subject: string,
  what: string,
): Promise<Verdict> {
  const fail = (code: SupplyChainProblem['code'], message: string): Verdict => ({ verified: false, signer: null, problem: { code, message: `${what}: ${message}` } });
  const encoded = layer.annotations?.[signatureAnnotation];
  if (!encoded) return fail('malformed', `layer ${layer.digest} has no ${signatureAnnotation} annotation`);
  const signature = Buffer.from(encoded, 'base64');
  if (signature.length === 0 || signature.toString('base64') !== encoded.replace(/\s/g, '')) return fail('malformed', `the ${signatureAnnotation} annotation is not base64`);
  let payload: Buffer;
  try {
    payload = await readBlob(layer);
  } catch (err) {
    return fail('malformed', `payload ${layer.digest} unreadable: ${(err as Error).message}`);
  }
  const signer = keys.find((k) => verifyWith(k, payload, signature));
  if (!signer) {
    return fail(
      'untrusted-key',
      `the signature does not verify under the configured key${keys.length === 1 ? '' : 's'} ${keys.map((k) => `"${k.name}"`).join(', ')}: ` +
        'it was made with another key, or its payload or signature was altered (this legacy form does not name its key)',
    );
  }
  let parsed: z.infer<typeof SimpleSigningPayload>;
  try {
    const result = SimpleSigningPayload.safeParse(JSON.parse(payload.toString('utf8')));
    if (!result.success) return fail('malformed', `signed payload is not a cosign simple-signing document: ${z.prettifyError(result.error)}`);
    parsed = result.data;
  } catch {
    return fail('malformed', 'signed payload is not JSON');
  }
  const signed = parsed.critical.image['docker-manifest-digest'];
  if (signed !== subject) return fail('subject-mismatch', `signed by key "${signer.name}" for ${signed}, not for this image (${subject}): a signature copied from another image`);
  return { verified: true, signer: { kind: 'key', key: signer.name }, problem: null };
}

export function verifyWith(key: TrustedKey, data: Buffer, signature: Buffer): boolean {
  try {
    return verify(key.digest, data, key.key, signature);
  } catch {
    return false; // a signature that is not even well-formed DER for this key type
  }
}
