// AKS and ACR resources reach us in two forms: ARM wire JSON (fields under `properties`, `enableRBAC`)
// and SDK / `az` output (flattened, `enableRbac`, and in az also `authorizedIpRanges`,
// `diskEncryptionSetId`, `enableNodePublicIp`). The renames are case changes only (ARM itself treats
// property names case-insensitively), so a case-insensitive walk from the right starting object reads
// either form. This is the only reader of ARM resources: the normalizers turn what it reads into asset
// fields, and no rule reads the resource itself.
import { z } from 'zod';
import type { RawForm } from '../../core/asset.ts';
import { jurisdictionOf } from '../../core/jurisdiction.ts';

const envelope = new Set(['id', 'name', 'type', 'location', 'tags', 'sku', 'identity', 'systemdata', 'etag', 'zones', 'extendedlocation', 'kind']);

function child(value: unknown, key: string): unknown {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
  const record = value as Record<string, unknown>;
  if (Object.hasOwn(record, key)) return record[key];
  // Several keys differing only in case (a hand-edited export): the alphabetically first one, so the
  // answer never depends on key order.
  const lower = key.toLowerCase();
  const match = Object.keys(record)
    .filter((k) => k.toLowerCase() === lower)
    .sort()[0];
  return match === undefined ? undefined : record[match];
}

/** Reads `path` (wire names, without the leading `properties`) from a resource in either form. */
export function armField(resource: unknown, form: RawForm, path: string[]): unknown {
  const [first, ...rest] = path;
  if (first === undefined) return resource;
  const start = form === 'arm-rest' && !envelope.has(first.toLowerCase()) ? child(resource, 'properties') : resource;
  return rest.reduce<unknown>((value, key) => child(value, key), child(start, first));
}

/** Which form a resource object is in: wire JSON always nests `properties`. */
export function armFormOf(resource: unknown): RawForm {
  return child(resource, 'properties') !== undefined ? 'arm-rest' : 'arm-sdk';
}

/** `/subscriptions/<sub>/resourceGroups/<rg>/providers/<ns>/<type>/<name>` → parts. */
export function parseArmId(id: string): { subscription: string; resourceGroup: string; name: string } {
  const m = /^\/subscriptions\/([^/]+)\/resourcegroups\/([^/]+)\/providers\/.+\/([^/]+)$/i.exec(id);
  if (!m) throw new Error(`not an ARM resource id: ${id.slice(0, 200)}`);
  return { subscription: m[1] as string, resourceGroup: m[2] as string, name: m[3] as string };
}

/** Azure writes locations as `westeurope` or, in some answers, `West Europe`. */
export const normalizeLocation = (location: string): string => location.toLowerCase().replace(/\s+/g, '');

const Envelope = z
  .object({ id: z.string(), name: z.string(), location: z.string(), tags: z.record(z.string(), z.string()).nullish(), sku: z.object({ name: z.string() }).loose().nullish() })
  .loose();

/** An ARM resource in either form, with what every Azure asset needs from its envelope. */
export function readArmResource(resource: unknown) {
  const envelope = Envelope.parse(resource);
  const form = armFormOf(resource);
  const { subscription, resourceGroup } = parseArmId(envelope.id);
  const location = normalizeLocation(envelope.location);
  return {
    envelope,
    form,
    location,
    field: (...path: string[]) => armField(resource, form, path),
    /** The asset fields shared by every Azure resource kind; `service` names it in the id (aks, acr). */
    assetBase: (service: string, ctx: { collectedAt: string; source?: string }) => ({
      id: `azure://${subscription}/${location}/${service}/${resourceGroup.toLowerCase()}/${envelope.name}`,
      provider: 'azure' as const,
      account: subscription,
      region: location,
      jurisdiction: jurisdictionOf('azure', location),
      tags: envelope.tags ?? {},
      collectedAt: ctx.collectedAt,
      source: ctx.source,
      rawForm: form,
    }),
  };
}
