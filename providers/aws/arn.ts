// ARN parsing: account and region of AWS assets come from their ARNs.
export interface Arn {
  partition: string;
  service: string;
  region: string;
  account: string;
  resource: string;
}

export function parseArn(arn: string): Arn {
  const parts = arn.split(':');
  if (parts.length < 6 || parts[0] !== 'arn') throw new Error(`not an ARN: ${arn.slice(0, 200)}`);
  const [, partition = '', service = '', region = '', account = ''] = parts;
  return { partition, service, region, account, resource: parts.slice(5).join(':') };
}

/** AWS returns tags as [{key,value}] (ECS), [{Key,Value}] (ECR, STS) or a map (EKS); one shape for the asset. */
export function tagsFrom(value: unknown): Record<string, string> {
  if (!value) return {};
  if (Array.isArray(value)) {
    const out: Record<string, string> = {};
    for (const t of value as Array<Record<string, unknown>>) {
      const k = t.key ?? t.Key;
      const v = t.value ?? t.Value;
      if (typeof k === 'string') out[k] = typeof v === 'string' ? v : '';
    }
    return out;
  }
  if (typeof value === 'object') {
    return Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, String(v ?? '')]));
  }
  return {};
}
