// Azure credentials without stored secrets. From AWS Lambda: workload identity federation, where AWS
// STS GetWebIdentityToken issues a short-lived JWT (sub = the Lambda's role ARN) that an Entra app or
// user-assigned identity trusts as a federated credential, redeemed by ClientAssertionCredential.
// Everywhere else: DefaultAzureCredential (environment, workload identity, managed identity, az login).
import { GetWebIdentityTokenCommand, STSClient } from '@aws-sdk/client-sts';
import { ClientAssertionCredential, DefaultAzureCredential, type TokenCredential } from '@azure/identity';
import type { AzureSettings } from './settings.ts';

type Federation = NonNullable<AzureSettings['federation']>;

/** Fetches a fresh AWS-issued JWT for Entra each time the credential needs a new Azure token. */
export function awsWebIdentityAssertion(federation: Federation, sts?: STSClient): () => Promise<string> {
  const region = federation.stsRegion ?? process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION;
  // GetWebIdentityToken is served by regional STS endpoints only.
  if (!sts && !region) throw new Error('azure.federation needs an AWS region for STS GetWebIdentityToken: set azure.federation.stsRegion or AWS_REGION');
  const client = sts ?? new STSClient({ region });
  return async () => {
    const out = await client.send(new GetWebIdentityTokenCommand({ Audience: [federation.audience], SigningAlgorithm: federation.signingAlgorithm, DurationSeconds: 300 }));
    if (!out.WebIdentityToken) throw new Error('AWS STS GetWebIdentityToken returned no token (is outbound web identity federation enabled for the account?)');
    return out.WebIdentityToken;
  };
}

export function azureCredential(settings: Pick<AzureSettings, 'federation'>, sts?: STSClient): TokenCredential {
  const federation = settings.federation;
  if (federation) return new ClientAssertionCredential(federation.tenantId, federation.clientId, awsWebIdentityAssertion(federation, sts));
  return new DefaultAzureCredential();
}
