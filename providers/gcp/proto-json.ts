// Client objects → REST JSON. Over gRPC google-gax decodes with `enums: String, defaults: true` (every
// field present, enums as names); over REST with `numericEnums` enums may be numbers. Both are re-encoded
// through the message type as canonical proto3 JSON: camelCase, enum names, int64 as strings, RFC 3339
// timestamps, defaults omitted — the form `projects.locations.clusters.get` returns.
import protobuf from 'protobufjs';
import { toProto3JSON } from 'proto3-json-serializer';

/** How the client handed enums over, kept in `raw` so a reader knows what was converted. */
export type EnumEncoding = 'string' | 'number' | 'none';

export interface Decoded {
  transport: 'grpc' | 'rest';
  enumsReceivedAs: EnumEncoding;
}

const maxDepth = 12;

/** The form of the first enum value set in `value` (walked through the message type). */
export function enumEncodingOf(type: protobuf.Type, value: unknown, depth = 0): EnumEncoding {
  if (depth > maxDepth || value === null || typeof value !== 'object') return 'none';
  const record = value as Record<string, unknown>;
  for (const field of type.fieldsArray) {
    const v = record[field.name];
    if (v === null || v === undefined) continue;
    const items = field.repeated ? (Array.isArray(v) ? v : []) : field.map ? Object.values(v as object) : [v];
    for (const item of items) {
      if (field.resolvedType instanceof protobuf.Enum) {
        if (typeof item === 'string') return 'string';
        if (typeof item === 'number') return 'number';
      } else if (field.resolvedType instanceof protobuf.Type) {
        const inner = enumEncodingOf(field.resolvedType, item, depth + 1);
        if (inner !== 'none') return inner;
      }
    }
  }
  return 'none';
}

function isDefault(field: protobuf.Field, v: unknown): boolean {
  if (v === null || v === undefined) return true;
  // Members of a oneof (and proto3 `optional` fields) have presence: a set default still means something.
  if (field.partOf) return false;
  if (field.repeated) return Array.isArray(v) && v.length === 0;
  if (field.map) return typeof v === 'object' && Object.keys(v as object).length === 0;
  if (field.resolvedType instanceof protobuf.Enum) return v === 0 || field.resolvedType.values[String(v)] === 0;
  if (field.resolvedType instanceof protobuf.Type) return false;
  return v === false || v === 0 || v === '' || v === '0';
}

/**
 * A copy of a client object without the values proto3 does not transmit (the client filled them in
 * with `defaults: true`), so the result matches what the REST API returns. Messages are walked by type.
 */
export function withoutDefaults(type: protobuf.Type, value: unknown, depth = 0): unknown {
  if (depth > maxDepth * 4 || value === null || typeof value !== 'object' || Array.isArray(value)) return value;
  const record = value as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const field of type.fieldsArray) {
    const v = record[field.name];
    if (isDefault(field, v)) continue;
    const inner = field.resolvedType instanceof protobuf.Type ? field.resolvedType : undefined;
    if (!inner) out[field.name] = v;
    else if (field.repeated && Array.isArray(v)) out[field.name] = v.map((item) => withoutDefaults(inner, item, depth + 1));
    else if (field.map) out[field.name] = Object.fromEntries(Object.entries(v as object).map(([k, item]) => [k, withoutDefaults(inner, item, depth + 1)]));
    else out[field.name] = withoutDefaults(inner, v, depth + 1);
  }
  return out;
}

/** `value` as the REST API's JSON for `type`; throws naming the type when the object does not fit it. */
export function toRestJson(type: protobuf.Type, value: unknown): Record<string, unknown> {
  let message: protobuf.Message;
  try {
    message = type.fromObject(withoutDefaults(type, value) as Record<string, unknown>);
  } catch (err) {
    throw new Error(`${type.fullName.replace(/^\./, '')}: the client returned an object that does not fit the message type (${(err as Error).message})`);
  }
  const json = toProto3JSON(message as Parameters<typeof toProto3JSON>[0]);
  if (json === null || typeof json !== 'object' || Array.isArray(json)) throw new Error(`${type.fullName}: expected a JSON object`);
  return withoutEmptyMaps(type, json) as Record<string, unknown>;
}

/** protobufjs materializes every map field; REST leaves empty ones out. Empty messages stay (they are set). */
function withoutEmptyMaps(type: protobuf.Type, json: unknown, depth = 0): unknown {
  if (depth > maxDepth * 4 || json === null || typeof json !== 'object' || Array.isArray(json)) return json;
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(json as Record<string, unknown>)) {
    const field = type.fields[key] ?? type.fieldsArray.find((f) => f.name === key);
    if (field?.map && v !== null && typeof v === 'object' && Object.keys(v).length === 0) continue;
    const inner = field?.resolvedType instanceof protobuf.Type ? field.resolvedType : undefined;
    if (!inner || field?.map) out[key] = v;
    else if (Array.isArray(v)) out[key] = v.map((item) => withoutEmptyMaps(inner, item, depth + 1));
    else out[key] = withoutEmptyMaps(inner, v, depth + 1);
  }
  return out;
}
