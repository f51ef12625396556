import { jurisdictionOf } from '../../../core/jurisdiction.ts';

/** What a collector knows about where and when it read a resource. */
export interface CollectContext {
  collectedAt: string;
  source?: string;
}

export function awsPlacement(account: string, region: string) {
  return { provider: 'aws' as const, account, region, jurisdiction: jurisdictionOf('aws', region) };
}
