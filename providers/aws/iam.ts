// IAM reads the collectors need. IAM is global: one call per account, whatever the regions.
import { ListOpenIDConnectProvidersCommand, type IAMClient } from '@aws-sdk/client-iam';
import { apiJson } from './api-json.ts';

/** iam:ListOpenIDConnectProviders: every provider ARN of the account (the API does not page). */
export async function listOidcProviders(iam: IAMClient): Promise<unknown[]> {
  const out = await iam.send(new ListOpenIDConnectProvidersCommand({}));
  return (out.OpenIDConnectProviderList ?? []).map((p) => apiJson({ Arn: p.Arn }));
}
