// AKS and ACR resources reach us in two forms: ARM wire JSON (fields under `properties`, `enableRBAC`)
// and SDK / `az` output (flattened, `enableRbac`). The renames are case changes only, so a
// case-insensitive walk from the right starting object reads either form.
import type { RawForm } from '../../core/asset.ts';

const envelope = new Set(['id', 'name', 'type', 'location', 'tags', 'sku', 'identity', 'systemdata', 'etag', 'zones', 'extendedlocation', 'kind']);

function child(value: unknown, key: string): unknown {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
  const record = value as Record<string, unknown>;
  if (key in record) return record[key];
  const lower = key.toLowerCase();
  const match = Object.keys(record).find((k) => k.toLowerCase() === lower);
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
