// A loopback HTTPS stand-in for Azure Resource Manager: the list and child-resource GETs posture makes
// for AKS and ACR, answered from ARM JSON bodies the test writes, and Azure Resource Graph queries
// (POST /providers/Microsoft.ResourceGraph/resources) for Defender's sub-assessments of one image. It pages with `nextLink`, throttles a
// chosen path once with 429 + Retry-After, refuses chosen subscriptions with ARM's AuthorizationFailed
// body, and only accepts the bearer token issued for the ARM audience. TLS uses a certificate generated
// per run; the client trusts it explicitly.
import { createServer, type Server } from 'node:https';
import { generate } from 'selfsigned';

export interface ArmSubscription {
  managedClusters?: object[];
  registries?: object[];
  /** Replications per registry resource id (lower case). */
  replications?: Record<string, object[]>;
  /** Diagnostic settings per resource id (lower case). */
  diagnosticSettings?: Record<string, object[]>;
  /** The user kubeconfig (YAML) listClusterUserCredential returns, per managed cluster id (lower case). */
  userKubeconfigs?: Record<string, string>;
}

export interface ArmStandInOptions {
  subscriptions: Record<string, ArmSubscription>;
  denied?: string[];
  accessToken: string;
  pageSize: number;
  /** Paths answered 429 (Retry-After: 1) on their first request. */
  throttleOnce?: (path: string) => boolean;
  /**
   * Rows of Resource Graph's `securityresources` table (Defender sub-assessments). The stand-in does not run
   * KQL: it answers the rows whose artifactDetails.digest and registryHost are the ones the query names,
   * in the subscriptions the request names (all when none), paged by $top / $skipToken.
   */
  securityResources?: object[];
}

export interface ArmStandIn {
  endpoint: string;
  /** PEM of the server certificate, to be trusted by the client. */
  ca: string;
  requests: { path: string; apiVersion: string | null; skipToken: string | null; status: number }[];
  /** Resource Graph request bodies, as sent. */
  graphQueries: { query: string; subscriptions: string[] | null; options: Record<string, unknown> | null }[];
  stop(): Promise<void>;
}

const json = (status: number, body: object, headers: Record<string, string> = {}) => ({ status, body: JSON.stringify(body), headers });

export async function startArmStandIn(options: ArmStandInOptions): Promise<ArmStandIn> {
  const pems = await generate([{ name: 'commonName', value: 'arm.posture.test' }], {
    keySize: 2048,
    extensions: [
      { name: 'basicConstraints', cA: true },
      { name: 'subjectAltName', altNames: [{ type: 7, ip: '127.0.0.1' }, { type: 2, value: 'localhost' }] },
    ],
  });
  const requests: ArmStandIn['requests'] = [];
  const seen = new Map<string, number>();
  let origin = '';

  const paged = (url: URL, items: object[]) => {
    const start = Number(url.searchParams.get('$skipToken') ?? '0');
    const end = start + options.pageSize;
    const next = new URL(url.pathname, origin);
    next.searchParams.set('api-version', url.searchParams.get('api-version') ?? '');
    next.searchParams.set('$skipToken', String(end));
    return json(200, { value: items.slice(start, end), ...(end < items.length ? { nextLink: next.toString() } : {}) });
  };

  const graphQueries: ArmStandIn['graphQueries'] = [];
  type Row = { subscriptionId?: string; properties?: { additionalData?: { artifactDetails?: { digest?: string; registryHost?: string } } } };
  const resourceGraph = (body: string) => {
    let request: { query?: unknown; subscriptions?: unknown; options?: Record<string, unknown> };
    try {
      request = JSON.parse(body) as typeof request;
    } catch {
      return json(400, { error: { code: 'InvalidRequestContent', message: 'The request content was invalid and could not be deserialized.' } });
    }
    if (typeof request.query !== 'string') return json(400, { error: { code: 'BadRequest', message: 'Please provide a query.' } });
    const subscriptions = Array.isArray(request.subscriptions) ? request.subscriptions.map((x) => String(x).toLowerCase()) : null;
    graphQueries.push({ query: request.query, subscriptions, options: request.options ?? null });
    const digest = /artifactDetails\.digest\) == '([^']+)'/.exec(request.query)?.[1];
    const host = /artifactDetails\.registryHost\) =~ '([^']+)'/.exec(request.query)?.[1]?.toLowerCase();
    const rows = (options.securityResources ?? []).filter((r) => {
      const row = r as Row;
      const art = row.properties?.additionalData?.artifactDetails;
      return art?.digest === digest && art?.registryHost?.toLowerCase() === host && (!subscriptions || subscriptions.includes(String(row.subscriptionId).toLowerCase()));
    });
    const top = Math.min(Number(request.options?.['$top'] ?? 1000), options.pageSize);
    const start = Number(request.options?.['$skipToken'] ?? 0);
    const data = rows.slice(start, start + top);
    const more = start + top < rows.length;
    return json(200, { totalRecords: rows.length, count: data.length, resultTruncated: 'false', ...(more ? { $skipToken: String(start + top) } : {}), data, facets: [] });
  };

  const route = (method: string, url: URL, authorization: string | undefined, body: string) => {
    if (authorization !== `Bearer ${options.accessToken}`) {
      return json(401, { error: { code: 'InvalidAuthenticationToken', message: 'The access token is invalid.' } }, { 'www-authenticate': 'Bearer authorization_uri="https://login.microsoftonline.com/common", error="invalid_token"' });
    }
    const path = url.pathname;
    const n = (seen.get(path) ?? 0) + 1;
    seen.set(path, n);
    if (n === 1 && options.throttleOnce?.(path)) {
      return json(429, { error: { code: 'TooManyRequests', message: 'The request is being throttled.' } }, { 'retry-after': '1' });
    }
    if (!url.searchParams.get('api-version')) return json(400, { error: { code: 'MissingApiVersionParameter', message: "The api-version query parameter (?api-version=) is required for all requests." } });
    if (method === 'POST' && path.toLowerCase() === '/providers/microsoft.resourcegraph/resources') return resourceGraph(body);
    const sub = /^\/subscriptions\/([^/]+)/i.exec(path)?.[1]?.toLowerCase();
    const credentialAction = /\/listclusterusercredential$/i.test(path);
    if (!sub || (method !== 'GET' && !(method === 'POST' && credentialAction))) return json(404, { error: { code: 'NotFound', message: `${path} not found` } });
    if (options.denied?.includes(sub)) {
      return json(403, {
        error: {
          code: 'AuthorizationFailed',
          message: `The client '7f3e8a51-0c0d-4bb6-9a47-2d1c0b9a4e11' with object id '7f3e8a51-0c0d-4bb6-9a47-2d1c0b9a4e11' does not have authorization to perform action 'Microsoft.ContainerService/managedClusters/read' over scope '/subscriptions/${sub}' or the scope is invalid. If access was recently granted, please refresh your credentials.`,
        },
      });
    }
    const data = options.subscriptions[sub];
    if (!data) return json(404, { error: { code: 'SubscriptionNotFound', message: `The subscription '${sub}' could not be found.` } });
    const lower = path.toLowerCase();
    if (lower === `/subscriptions/${sub}/providers/microsoft.containerservice/managedclusters`) return paged(url, data.managedClusters ?? []);
    if (lower === `/subscriptions/${sub}/providers/microsoft.containerregistry/registries`) return paged(url, data.registries ?? []);
    let m: RegExpExecArray | null;
    if ((m = /^(\/subscriptions\/.+\/providers\/microsoft\.containerregistry\/registries\/[^/]+)\/replications$/.exec(lower))) {
      return paged(url, data.replications?.[m[1]!] ?? []);
    }
    if ((m = /^(\/subscriptions\/[^/]+\/resourcegroups\/[^/]+\/providers\/microsoft\.containerservice\/managedclusters\/[^/]+)(\/listclusterusercredential)?$/.exec(lower))) {
      const id = m[1]!;
      const cluster = (data.managedClusters ?? []).find((c) => String((c as { id?: string }).id).toLowerCase() === id);
      if (!cluster) return json(404, { error: { code: 'ResourceNotFound', message: `The Resource '${id}' was not found.` } });
      if (!m[2]) return json(200, cluster);
      const kubeconfig = data.userKubeconfigs?.[id];
      if (!kubeconfig) return json(404, { error: { code: 'NotFound', message: `no user kubeconfig for ${id}` } });
      return json(200, { kubeconfigs: [{ name: 'clusterUser', value: Buffer.from(kubeconfig).toString('base64') }] });
    }
    if ((m = /^(\/subscriptions\/.+)\/providers\/microsoft\.insights\/diagnosticsettings$/.exec(lower))) {
      return json(200, { value: data.diagnosticSettings?.[m[1]!] ?? [] });
    }
    return json(404, { error: { code: 'ResourceNotFound', message: `${path} not found` } });
  };

  const server: Server = createServer({ key: pems.private, cert: pems.cert }, (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', origin);
      const answer = route(req.method ?? 'GET', url, req.headers.authorization, Buffer.concat(chunks).toString('utf8'));
      requests.push({ path: url.pathname, apiVersion: url.searchParams.get('api-version'), skipToken: url.searchParams.get('$skipToken'), status: answer.status });
      res.writeHead(answer.status, { 'content-type': 'application/json; charset=utf-8', 'x-ms-request-id': crypto.randomUUID(), ...answer.headers });
      res.end(answer.body);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  origin = `https://127.0.0.1:${(server.address() as { port: number }).port}`;
  return { endpoint: origin, ca: pems.cert, requests, graphQueries, stop: () => new Promise((r) => server.close(() => r())) };
}
