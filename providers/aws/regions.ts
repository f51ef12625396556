// Regions to read per account: the configured list, or every region enabled for that account
// (opt-in regions count once the account has opted in).
import { DescribeRegionsCommand } from '@aws-sdk/client-ec2';
import type { AccountAccess, ClientFactory } from './clients.ts';

const enabled = new Set(['opt-in-not-required', 'opted-in']);

export async function enabledRegions(factory: ClientFactory, access: AccountAccess, homeRegion: string): Promise<string[]> {
  const out = await factory.ec2(access, homeRegion).send(new DescribeRegionsCommand({ AllRegions: false }));
  const names = (out.Regions ?? [])
    .filter((r) => r.RegionName && (r.OptInStatus === undefined || enabled.has(r.OptInStatus)))
    .map((r) => r.RegionName as string);
  return [...new Set(names)].sort();
}
