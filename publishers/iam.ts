// What the publisher function's role needs beyond its state table and ticketing secrets (granted by the
// stack itself): one statement per configured publisher that calls an AWS API. Security Hub authorizes
// BatchImportFindings on the product the findings name (resource type `product`), so the grant names
// exactly the product ARN the publisher writes into every finding (asff.ts productArnFor).
import type { IamStatement } from '../providers/provider.ts';
import { productArnFor } from './asff.ts';
import type { PublishConfig } from './config.ts';

export function publisherIamStatements(publish: PublishConfig): IamStatement[] {
  const statements: IamStatement[] = [];
  if (publish.securityhub) {
    statements.push({ sid: 'ImportFindingsIntoSecurityHub', actions: ['securityhub:BatchImportFindings'], resources: [productArnFor(publish.securityhub)] });
  }
  return statements;
}
