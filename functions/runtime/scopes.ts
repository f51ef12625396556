// The estate a deployment sweeps: AWS accounts × regions (each reached through a configured role),
// Azure subscriptions and GCP projects. Set once in CDK (typed props / context) and handed to the
// schedule function as JSON; the role ARNs are also the only ones the worker may assume.
import { z } from 'zod';

const AwsRegion = z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d+$/, 'expected an AWS region name such as eu-west-1');

export const Scopes = z
  .object({
    aws: z
      .array(
        z
          .object({
            account: z.string().regex(/^\d{12}$/, 'expected a 12-digit account id'),
            /** Role assumed in that account; absent for the deployment's own account. */
            roleArn: z.string().regex(/^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]+$/, 'expected an IAM role ARN').optional(),
            regions: z.array(AwsRegion).min(1),
          })
          .strict()
          .refine((a) => !a.roleArn || a.roleArn.split(':')[4] === a.account, 'roleArn must be in the account it scans'),
      )
      .default([]),
    azure: z.array(z.object({ subscription: z.guid('an Azure subscription id is a GUID') }).strict()).default([]),
    gcp: z.array(z.object({ project: z.string().regex(/^[a-z][a-z0-9-]{4,28}[a-z0-9]$/, 'expected a GCP project id') }).strict()).default([]),
  })
  .strict();
export type Scopes = z.infer<typeof Scopes>;
export type ScopesInput = z.input<typeof Scopes>;

export function parseScopes(value: unknown, origin: string): Scopes {
  const parsed = Scopes.safeParse(value ?? {});
  if (!parsed.success) {
    throw new Error(`${origin} is invalid: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')}`);
  }
  return parsed.data;
}

/** The cross-account roles a deployment may assume: exactly the configured ones. */
export function assumableRoles(scopes: Scopes): string[] {
  return [...new Set(scopes.aws.flatMap((a) => (a.roleArn ? [a.roleArn] : [])))].sort();
}
