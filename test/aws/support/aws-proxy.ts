// A loopback proxy in front of moto that adds what moto 5.2 leaves out and a real AWS endpoint does:
//  - pagination: moto returns every repository / family / service in one page; AWS returns at most
//    100 (10 for ListServices) with a nextToken. The proxy pages moto's full answer the same way.
//  - refusals: for chosen account × region × service it answers the real AccessDenied error shape
//    of that protocol (JSON 1.1 `__type`, REST-JSON `x-amzn-ErrorType`, Query XML), and it can
//    refuse AssumeRole into chosen accounts.
// The account behind a request is read from its SigV4 access key: moto's default keys belong to
// 123456789012, and keys handed out by AssumeRole are learnt from the STS responses passing through.
import { randomUUID } from 'node:crypto';
import { createServer, request, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { MotoGaps } from './moto-gaps.ts';

export interface Denial {
  account: string;
  region: string;
  /** SigV4 service name: ecr, ecs, eks, ec2, sts…, or `*` for every service. */
  service: string;
  /** `access-denied` (default), or `region-not-enabled`: what AWS answers in an opt-in region the account has not enabled. */
  answer?: 'access-denied' | 'region-not-enabled';
}

export interface AwsProxyOptions {
  target: string; // moto endpoint
  defaultAccount?: string;
  deny?: Denial[];
  /** Accounts whose roles may not be assumed (STS AssumeRole answers AccessDenied). */
  denyAssumeRoleInto?: string[];
  /** The first `times` calls of each named JSON 1.1 operation (e.g. `DescribeRepositories`) answer ThrottlingException. */
  throttle?: Record<string, number>;
  /** Answer what moto 5.2 does not implement (see moto-gaps.ts); without it those calls reach moto and fail. */
  gaps?: MotoGaps;
}

export interface AwsProxy {
  endpoint: string;
  /** Pages served per `account/region/Operation` (pagination evidence). */
  pages: Map<string, number>;
  /** Requests per `account/region/Operation` for JSON-protocol operations (request-shape evidence). */
  calls: Map<string, number>;
  /** Regions any request was signed for. */
  regionsSeen: Set<string>;
  /** ThrottlingException answers given, per operation. */
  throttled: Map<string, number>;
  /** IAM action names of every call that passed through (`ecr:DescribeRepositories`, `eks:DescribeCluster`, …). */
  actions: Set<string>;
  /** Most requests this proxy had open at one moment (checks the collector's concurrency bound). */
  maxInFlight(): number;
  stop(): Promise<void>;
}

// JSON 1.1 list operations moto does not page, with the list key and AWS's default page size.
const paged: Record<string, { key: string; defaultSize: number }> = {
  'AmazonEC2ContainerRegistry_V20150921.DescribeRepositories': { key: 'repositories', defaultSize: 100 },
  'AmazonEC2ContainerRegistry_V20150921.DescribeImages': { key: 'imageDetails', defaultSize: 100 },
  'AmazonEC2ContainerServiceV20141113.ListClusters': { key: 'clusterArns', defaultSize: 100 },
  'AmazonEC2ContainerServiceV20141113.ListServices': { key: 'serviceArns', defaultSize: 10 },
  'AmazonEC2ContainerServiceV20141113.ListTaskDefinitionFamilies': { key: 'families', defaultSize: 100 },
  'AmazonEC2ContainerServiceV20141113.ListTaskDefinitions': { key: 'taskDefinitionArns', defaultSize: 100 },
};

function signedScope(req: IncomingMessage): { accessKey: string; region: string; service: string } | null {
  const m = /Credential=([^/]+)\/\d{8}\/([^/]+)\/([^/]+)\/aws4_request/.exec(req.headers.authorization ?? '');
  return m ? { accessKey: m[1]!, region: m[2]!, service: m[3]! } : null;
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

function forward(target: URL, req: IncomingMessage, body: Buffer): Promise<{ status: number; headers: Record<string, string>; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(req.headers)) if (typeof v === 'string' && k !== 'host' && k !== 'content-length') headers[k] = v;
    headers['content-length'] = String(body.length);
    const out = request({ host: target.hostname, port: target.port, method: req.method, path: req.url, headers }, async (res) => {
      const chunks: Buffer[] = [];
      for await (const c of res) chunks.push(c as Buffer);
      const h: Record<string, string> = {};
      for (const [k, v] of Object.entries(res.headers)) if (typeof v === 'string') h[k] = v;
      resolve({ status: res.statusCode ?? 502, headers: h, body: Buffer.concat(chunks) });
    });
    out.once('error', reject);
    out.end(body);
  });
}

function send(res: ServerResponse, status: number, headers: Record<string, string>, body: Buffer | string): void {
  const bytes = typeof body === 'string' ? Buffer.from(body) : body;
  const { 'content-length': _cl, 'transfer-encoding': _te, ...rest } = headers;
  res.writeHead(status, { ...rest, 'content-length': String(bytes.length) });
  res.end(bytes);
}

/** The AccessDenied answer each AWS protocol family gives. */
function accessDenied(res: ServerResponse, req: IncomingMessage, principal: string, action: string): void {
  const requestId = randomUUID();
  const message = `User: ${principal} is not authorized to perform: ${action} because no identity-based policy allows the ${action} action`;
  const contentType = req.headers['content-type'] ?? '';
  if (req.headers['x-amz-target'] && contentType.includes('x-amz-json')) {
    send(res, 400, { 'content-type': contentType, 'x-amzn-requestid': requestId }, JSON.stringify({ __type: 'AccessDeniedException', message }));
  } else if (contentType.includes('x-www-form-urlencoded')) {
    const xml = `<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><Error><Type>Sender</Type><Code>AccessDenied</Code><Message>${message}</Message></Error><RequestId>${requestId}</RequestId></ErrorResponse>`;
    send(res, 403, { 'content-type': 'text/xml', 'x-amzn-requestid': requestId }, xml);
  } else {
    send(res, 403, { 'content-type': 'application/json', 'x-amzn-requestid': requestId, 'x-amzn-errortype': 'AccessDeniedException:http://internal.amazon.com/coral/com.amazon.coral.service/' }, JSON.stringify({ message }));
  }
}

/** Regional endpoints of a region the account has not opted into do not know its credentials. */
function regionNotEnabled(res: ServerResponse, req: IncomingMessage): void {
  const requestId = randomUUID();
  const message = 'The security token included in the request is invalid.';
  const contentType = req.headers['content-type'] ?? '';
  if (req.headers['x-amz-target'] && contentType.includes('x-amz-json')) {
    send(res, 400, { 'content-type': contentType, 'x-amzn-requestid': requestId }, JSON.stringify({ __type: 'UnrecognizedClientException', message }));
  } else {
    send(res, 403, { 'content-type': 'application/json', 'x-amzn-requestid': requestId, 'x-amzn-errortype': 'UnrecognizedClientException:http://internal.amazon.com/coral/com.amazon.coral.service/' }, JSON.stringify({ message }));
  }
}

// EKS speaks REST-JSON: the operation is the method and path, not a header.
const eksRoutes: Array<[RegExp, string]> = [
  [/^GET \/clusters$/, 'ListClusters'],
  [/^GET \/clusters\/[^/]+$/, 'DescribeCluster'],
  [/^GET \/clusters\/[^/]+\/node-groups$/, 'ListNodegroups'],
  [/^GET \/clusters\/[^/]+\/node-groups\/[^/]+$/, 'DescribeNodegroup'],
  [/^GET \/clusters\/[^/]+\/addons$/, 'ListAddons'],
  [/^GET \/clusters\/[^/]+\/addons\/[^/]+$/, 'DescribeAddon'],
  [/^GET \/clusters\/[^/]+\/pod-identity-associations$/, 'ListPodIdentityAssociations'],
];

/** The IAM action a request needs, from its SigV4 service and its protocol's operation name. */
function iamAction(req: IncomingMessage, service: string, body: string): string {
  const target = req.headers['x-amz-target'];
  if (typeof target === 'string') return `${service}:${target.split('.').pop()}`;
  const query = /(?:^|&)Action=([A-Za-z]+)/.exec(body)?.[1];
  if (query) return `${service}:${query}`;
  const route = `${req.method} ${(req.url ?? '').split('?')[0]}`;
  const rest = eksRoutes.find(([pattern]) => pattern.test(route))?.[1];
  return `${service}:${rest ?? route}`;
}

function gapRequestOf(req: IncomingMessage, account: string, region: string, operation: string, text: string) {
  let body: Record<string, unknown> = {};
  try {
    const parsed: unknown = text ? JSON.parse(text) : {};
    if (parsed && typeof parsed === 'object') body = parsed as Record<string, unknown>;
  } catch {
    // Query-protocol bodies (EC2, IAM, STS) are not JSON; no gap is filled for them.
  }
  return { account, region, method: req.method ?? 'GET', path: (req.url ?? '').split('?')[0] ?? '', target: operation ? operation.split('.').pop() : undefined, body };
}

function pageToken(offset: number): string {
  return Buffer.from(JSON.stringify({ proxyOffset: offset })).toString('base64');
}

function offsetOf(token: unknown): number {
  if (typeof token !== 'string') return 0;
  const parsed = JSON.parse(Buffer.from(token, 'base64').toString('utf8')) as { proxyOffset?: unknown };
  return typeof parsed.proxyOffset === 'number' ? parsed.proxyOffset : 0;
}

export async function startAwsProxy(options: AwsProxyOptions): Promise<AwsProxy> {
  const target = new URL(options.target);
  const defaultAccount = options.defaultAccount ?? '123456789012';
  const accountOfKey = new Map<string, string>();
  const pages = new Map<string, number>();
  const calls = new Map<string, number>();
  const regionsSeen = new Set<string>();
  const throttled = new Map<string, number>();
  const actions = new Set<string>();
  let inFlight = 0;
  let peak = 0;

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const body = await readBody(req);
    const scope = signedScope(req);
    const account = scope ? (accountOfKey.get(scope.accessKey) ?? defaultAccount) : defaultAccount;
    const operation = String(req.headers['x-amz-target'] ?? '');
    if (scope) regionsSeen.add(scope.region);
    if (scope) actions.add(iamAction(req, scope.service, body.toString('utf8')));
    if (scope && operation) {
      const counter = `${account}/${scope.region}/${operation.split('.').pop()}`;
      calls.set(counter, (calls.get(counter) ?? 0) + 1);
    }

    const denial = scope && options.deny?.find((d) => d.account === account && d.region === scope.region && (d.service === '*' || d.service === scope.service));
    if (scope && denial) {
      if (denial.answer === 'region-not-enabled') return regionNotEnabled(res, req);
      const action = `${scope.service}:${operation.split('.').pop() || req.url}`;
      return accessDenied(res, req, `arn:aws:sts::${account}:assumed-role/PostureAudit/posture`, action);
    }
    const shortName = operation.split('.').pop() ?? '';
    const budget = options.throttle?.[shortName] ?? 0;
    if (budget > (throttled.get(shortName) ?? 0)) {
      throttled.set(shortName, (throttled.get(shortName) ?? 0) + 1);
      const headers = { 'content-type': req.headers['content-type'] ?? 'application/x-amz-json-1.1', 'x-amzn-requestid': randomUUID() };
      return send(res, 400, headers, JSON.stringify({ __type: 'ThrottlingException', message: 'Rate exceeded' }));
    }
    const text = body.toString('utf8');
    if (scope?.service === 'sts' && text.includes('Action=AssumeRole')) {
      const into = /RoleArn=arn%3Aaws%3Aiam%3A%3A(\d{12})/.exec(text)?.[1];
      if (into && options.denyAssumeRoleInto?.includes(into)) return accessDenied(res, req, `arn:aws:iam::${account}:user/moto`, `sts:AssumeRole on resource: arn:aws:iam::${into}:role/PostureAudit`);
    }

    const gapRequest = scope && options.gaps ? gapRequestOf(req, account, scope.region, operation, text) : undefined;
    if (gapRequest) {
      const filled = options.gaps!.answer(gapRequest);
      if (filled) {
        const json = req.headers['x-amz-target'] ? String(req.headers['content-type'] ?? 'application/x-amz-json-1.1') : 'application/json';
        const errorType: Record<string, string> = filled.status >= 400 ? { 'x-amzn-errortype': 'ResourceNotFoundException' } : {};
        return send(res, filled.status, { 'content-type': json, 'x-amzn-requestid': randomUUID(), ...errorType }, JSON.stringify(filled.body));
      }
      options.gaps!.observe(gapRequest);
    }

    const paging = paged[operation];
    let forwardBody = body;
    let request: Record<string, unknown> = {};
    if (paging) {
      request = JSON.parse(text || '{}') as Record<string, unknown>;
      const { nextToken: _n, maxResults: _m, ...rest } = request;
      forwardBody = Buffer.from(JSON.stringify(rest));
    }
    const answer = await forward(target, req, forwardBody);

    if (scope?.service === 'sts') {
      // Learn which account the keys from AssumeRole belong to (XML or JSON, whichever STS spoke).
      const out = answer.body.toString('utf8');
      const key = /AccessKeyId["<>:\s]+"?(ASIA[A-Z0-9]+)/.exec(out)?.[1];
      const into = /arn:aws:sts::(\d{12}):assumed-role\//.exec(out)?.[1];
      if (key && into) accountOfKey.set(key, into);
    }
    if (paging && answer.status === 200) {
      const full = JSON.parse(answer.body.toString('utf8')) as Record<string, unknown>;
      const list = Array.isArray(full[paging.key]) ? (full[paging.key] as unknown[]) : [];
      const offset = offsetOf(request.nextToken);
      const size = typeof request.maxResults === 'number' ? request.maxResults : paging.defaultSize;
      const page = { ...full, [paging.key]: list.slice(offset, offset + size) } as Record<string, unknown>;
      delete page.nextToken;
      if (offset + size < list.length) page.nextToken = pageToken(offset + size);
      const counter = `${account}/${scope?.region ?? '?'}/${operation.split('.').pop()}`;
      pages.set(counter, (pages.get(counter) ?? 0) + 1);
      return send(res, 200, answer.headers, JSON.stringify(page));
    }
    if (gapRequest && answer.status === 200 && /json/.test(answer.headers['content-type'] ?? '')) {
      const amended = options.gaps!.amend(gapRequest, JSON.parse(answer.body.toString('utf8') || '{}') as Record<string, unknown>);
      return send(res, 200, answer.headers, JSON.stringify(amended));
    }
    send(res, answer.status, answer.headers, answer.body);
  };

  const server: Server = createServer((req, res) => {
    inFlight += 1;
    peak = Math.max(peak, inFlight);
    res.once('close', () => {
      inFlight -= 1;
    });
    handle(req, res).catch((err: Error) => send(res, 502, { 'content-type': 'text/plain' }, `proxy error: ${err.message}`));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    pages,
    calls,
    regionsSeen,
    throttled,
    actions,
    maxInFlight: () => peak,
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
