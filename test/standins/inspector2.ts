// Amazon Inspector (inspector2, API version 2020-06-08) ListFindings on loopback, speaking the service's
// REST-JSON wire format as its API model defines it: `POST /findings/list` with a JSON body of
// `filterCriteria` (lists of StringFilter `{comparison, value}`), `maxResults` (1..100) and `nextToken`;
// the answer `{findings, nextToken}`; errors as `x-amzn-errortype` + `{message}`. The real AWS SDK client
// talks to it through the `inspector2` endpoint override. Requests must be SigV4-signed for the inspector2
// service. Filters are applied the way Inspector documents them: every listed field must match one of its
// filters (EQUALS, NOT_EQUALS, PREFIX).
import type { IncomingMessage } from 'node:http';
import { type Reply, serve } from '../publishers/support/standin-http.ts';

export interface Inspector2Finding {
  findingArn: string;
  awsAccountId: string;
  type: 'PACKAGE_VULNERABILITY' | 'NETWORK_REACHABILITY' | 'CODE_VULNERABILITY';
  status: 'ACTIVE' | 'SUPPRESSED' | 'CLOSED';
  severity: string;
  [key: string]: unknown;
}

export interface Inspector2StandIn {
  endpoint: string;
  findings: Inspector2Finding[];
  /** Every ListFindings body received, in order. */
  requests: { filterCriteria?: Record<string, { comparison: string; value: string }[]>; maxResults?: number; nextToken?: string }[];
  /** The next N requests are answered with this error. */
  failNext(count: number, error: { status: number; type: string; message: string }): void;
  stop(): Promise<void>;
}

type StringFilter = { comparison: string; value: string };

/** The finding's value of one filter field (the ECR image fields live on its first resource). */
function fieldOf(f: Inspector2Finding, field: string): string | undefined {
  const image = (f.resources as { details?: { awsEcrContainerImage?: Record<string, unknown> } }[] | undefined)?.[0]?.details?.awsEcrContainerImage;
  switch (field) {
    case 'awsAccountId':
      return f.awsAccountId;
    case 'findingType':
      return f.type;
    case 'findingStatus':
      return f.status;
    case 'severity':
      return f.severity;
    case 'ecrImageRepositoryName':
      return image?.repositoryName as string | undefined;
    case 'ecrImageHash':
      return image?.imageHash as string | undefined;
    case 'ecrImageRegistry':
      return image?.registry as string | undefined;
    default:
      throw new Error(`stand-in does not filter on ${field}`);
  }
}

function passes(value: string | undefined, filters: StringFilter[]): boolean {
  const positive = filters.filter((f) => f.comparison !== 'NOT_EQUALS');
  if (filters.some((f) => f.comparison === 'NOT_EQUALS' && f.value === value)) return false;
  if (positive.length === 0) return true;
  return positive.some((f) => (f.comparison === 'EQUALS' ? value === f.value : value !== undefined && value.startsWith(f.value)));
}

const error = (status: number, type: string, message: string): Reply => ({ status, headers: { 'x-amzn-errortype': type }, body: { message } });

export async function startInspector2(options: { pageSize?: number; findings?: Inspector2Finding[] } = {}): Promise<Inspector2StandIn> {
  const pageSize = options.pageSize ?? 100;
  const findings = options.findings ?? [];
  const requests: Inspector2StandIn['requests'] = [];
  let failures: { count: number; error: { status: number; type: string; message: string } } | null = null;

  const handle = (req: IncomingMessage, url: URL, text: string): Reply => {
    if (req.method !== 'POST' || url.pathname !== '/findings/list') return error(404, 'ResourceNotFoundException', `no route ${req.method} ${url.pathname}`);
    const auth = req.headers.authorization ?? '';
    if (!/^AWS4-HMAC-SHA256 Credential=[^/]+\/\d{8}\/[a-z0-9-]+\/inspector2\/aws4_request/.test(auth)) return error(403, 'AccessDeniedException', 'request not signed for inspector2');
    let body: { filterCriteria?: Record<string, StringFilter[]>; maxResults?: number; nextToken?: string };
    try {
      body = JSON.parse(text || '{}') as typeof body;
    } catch {
      return error(400, 'ValidationException', 'body is not JSON');
    }
    requests.push(body);
    if (failures && failures.count > 0) {
      failures.count--;
      return error(failures.error.status, failures.error.type, failures.error.message);
    }
    if (body.maxResults !== undefined && (!Number.isInteger(body.maxResults) || body.maxResults < 1 || body.maxResults > 100)) {
      return error(400, 'ValidationException', 'maxResults must be between 1 and 100');
    }
    for (const [field, filters] of Object.entries(body.filterCriteria ?? {})) {
      if (!Array.isArray(filters) || filters.length < 1 || filters.length > 10) return error(400, 'ValidationException', `filterCriteria.${field} must list 1 to 10 filters`);
      for (const f of filters) if (!['EQUALS', 'PREFIX', 'NOT_EQUALS'].includes(f.comparison) || typeof f.value !== 'string' || f.value.length < 1) return error(400, 'ValidationException', `bad filter in ${field}`);
    }
    const matching = findings.filter((f) => Object.entries(body.filterCriteria ?? {}).every(([field, filters]) => passes(fieldOf(f, field), filters)));
    let start = 0;
    if (body.nextToken !== undefined) {
      const decoded = /^page:(\d+)$/.exec(Buffer.from(body.nextToken, 'base64').toString('utf8'));
      if (!decoded) return error(400, 'ValidationException', 'invalid nextToken');
      start = Number(decoded[1]);
    }
    const size = Math.min(pageSize, body.maxResults ?? 50);
    const page = matching.slice(start, start + size);
    const next = start + size < matching.length ? Buffer.from(`page:${start + size}`).toString('base64') : undefined;
    return { status: 200, body: { findings: page, ...(next ? { nextToken: next } : {}) } };
  };

  const server = await serve(handle);
  return {
    endpoint: server.url,
    findings,
    requests,
    failNext(count, err) {
      failures = { count, error: err };
    },
    stop: () => server.close(),
  };
}
