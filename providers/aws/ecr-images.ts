// Where ECR images are pulled from: the public ECR host by default, or a configured VPC endpoint / FIPS host.
// The orchestration reports them under the canonical ECR host so ids do not change with the transport.
import { fillTemplate } from './clients.ts';
import { ecrRegistryHost } from './ecr-host.ts';

export interface RegistryEndpoint {
  /** Host the registry API is spoken to. */
  host: string;
  /** Plain HTTP (loopback test registries only). */
  insecure: boolean;
}

export function registryEndpoint(template: string | undefined, account: string, region: string, partition: string, fips: boolean): RegistryEndpoint {
  if (!template) {
    const host = fips ? `${account}.dkr.ecr-fips.${region}.amazonaws.com` : ecrRegistryHost(account, region, partition);
    return { host, insecure: false };
  }
  const url = new URL(fillTemplate(template, { account, region }));
  return { host: url.host, insecure: url.protocol === 'http:' };
}
