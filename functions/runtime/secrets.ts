// Webhook shared secrets live in Secrets Manager as JSON; they are read at cold start and re-read after
// a few minutes so a rotation takes effect without a deploy. Several values per source allow overlap
// while a rotation is rolled out to the sender.
import { GetSecretValueCommand, type SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { z } from 'zod';

export const WebhookSecrets = z
  .object({
    /** Values accepted in the ACR classic webhook's custom header. */
    acr: z.array(z.string().min(16)).default([]),
    /** Values accepted from Event Grid (query parameter `code` or `Authorization: Bearer`). */
    eventGrid: z.array(z.string().min(16)).default([]),
  })
  .strict();
export type WebhookSecrets = z.infer<typeof WebhookSecrets>;

export interface SecretSource<T> {
  get(): Promise<T>;
}

export class CachedSecret<T> implements SecretSource<T> {
  private cached: { value: T; at: number } | undefined;

  constructor(
    private readonly client: SecretsManagerClient,
    private readonly secretId: string,
    private readonly schema: z.ZodType<T>,
    private readonly maxAgeMs = 5 * 60_000,
  ) {}

  async get(): Promise<T> {
    if (this.cached && Date.now() - this.cached.at < this.maxAgeMs) return this.cached.value;
    const out = await this.client.send(new GetSecretValueCommand({ SecretId: this.secretId }));
    if (out.SecretString === undefined) throw new Error(`secret ${this.secretId} has no string value`);
    let doc: unknown;
    try {
      doc = JSON.parse(out.SecretString);
    } catch {
      // Never echo the text: it is a secret.
      throw new Error(`secret ${this.secretId} is not JSON`);
    }
    const parsed = this.schema.safeParse(doc);
    if (!parsed.success) {
      const where = parsed.error.issues.map((i) => i.path.join('.') || '(root)').join(', ');
      throw new Error(`secret ${this.secretId} does not have the expected shape (check: ${where})`);
    }
    this.cached = { value: parsed.data, at: Date.now() };
    return parsed.data;
  }
}

export function staticSecret<T>(value: T): SecretSource<T> {
  return { get: async () => value };
}
