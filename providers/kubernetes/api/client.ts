// A read-only client for one cluster's API: GET only, over TLS verified against the cluster's CA, with a
// bearer token or a client certificate. Every response is bounded (headers and idle-body deadlines, a size cap
// per response and one for the whole cluster) and lists page with `limit`/`continue` until a per-kind cap.
// Where the credentials come from (a kubeconfig context, an EKS / AKS / GKE token) is connect/*.ts's business.
import { Agent, request, type Dispatcher } from 'undici';
import { secrets } from '../../../core/redact.ts';
import type { KubernetesLimits } from '../settings.ts';

export type Distribution = 'eks' | 'aks' | 'gke' | 'kubernetes';

/** How to reach and authenticate to one cluster. */
export interface ClusterConnection {
  /** The cluster's name in asset ids: the EKS/AKS/GKE cluster name, or the kubeconfig cluster name. */
  cluster: string;
  distribution: Distribution;
  /** `https://host[:port][/path]`; credentials are never sent over plain HTTP. */
  server: string;
  /** PEM bundle that signs the server's certificate; absent: the system's trust store. */
  ca?: string;
  /** TLS server name when it differs from the server's host (kubeconfig `tls-server-name`). */
  tlsServerName?: string;
  clientCertificate?: { cert: string; key: string };
  /** Request headers the credentials need (`Authorization: Bearer …`); fetched once per collection. */
  authorize?: () => Promise<Record<string, string>>;
  /** Where the cluster lives, when a cloud said so. */
  account?: string;
  region?: string;
}

/** An HTTP error answer of the API server, with its Status `reason` (Forbidden, NotFound, Expired …). */
export class KubeApiError extends Error {
  override name = 'KubeApiError';
  constructor(
    readonly status: number,
    readonly reason: string,
    message: string,
  ) {
    super(message);
  }
}

/** A cap was reached; what was read before it is kept. */
export class KubeLimitError extends Error {
  override name = 'KubeLimitError';
}

const statusBody = (text: string): { reason?: string; message?: string } => {
  try {
    const doc = JSON.parse(text) as { kind?: unknown; reason?: unknown; message?: unknown };
    return { ...(typeof doc.reason === 'string' ? { reason: doc.reason } : {}), ...(typeof doc.message === 'string' ? { message: doc.message } : {}) };
  } catch {
    return {};
  }
};

/**
 * Registers the credentials a connection's headers carry (the Authorization value and the token after its
 * scheme: a kubeconfig token, an EKS presigned-STS token, an AKS or GKE access token) with the process-wide
 * redactor, before any request goes out, so an answer that echoes them is scrubbed at every exit.
 */
function registerCredentials(headers: Record<string, string>): Record<string, string> {
  for (const [name, value] of Object.entries(headers)) {
    if (name.toLowerCase() !== 'authorization') continue;
    secrets.add(value);
    secrets.add(/^\S+\s+(\S.*)$/.exec(value.trim())?.[1]);
  }
  return headers;
}

/** Stops reading a body: the connection is closed rather than drained (the rest may be large or never end). */
function discard(res: Dispatcher.ResponseData): void {
  res.body.on('error', () => {});
  res.body.destroy();
}

export interface ListOptions {
  accept?: string;
  /** What the body must start with (see `get`). */
  expect?: RegExp;
  query?: Record<string, string>;
}

export interface ListPage {
  items: Record<string, unknown>[];
  continue: string | undefined;
  /** The response's own `kind` (PodList, Table …). */
  kind: string | undefined;
  /** Table column definitions, for `as=Table` answers. */
  columnDefinitions?: { name: string }[];
  rows?: { cells: unknown[] }[];
}

export class KubeApi {
  private readonly dispatcher: Dispatcher;
  private headers: Record<string, string> | undefined;
  private bytesRead = 0;
  readonly base: URL;

  constructor(
    readonly connection: ClusterConnection,
    private readonly limits: KubernetesLimits,
    private readonly signal?: AbortSignal,
  ) {
    const base = new URL(connection.server);
    if (base.protocol !== 'https:') throw new Error(`cluster ${connection.cluster}: the API server ${connection.server} is not https; posture sends credentials over TLS only`);
    this.base = base;
    this.dispatcher = new Agent({
      connect: {
        ...(connection.ca ? { ca: connection.ca } : {}),
        ...(connection.clientCertificate ? { cert: connection.clientCertificate.cert, key: connection.clientCertificate.key } : {}),
        ...(connection.tlsServerName ? { servername: connection.tlsServerName } : {}),
        rejectUnauthorized: true,
        timeout: limits.requestTimeoutMs,
      },
      headersTimeout: limits.requestTimeoutMs,
      bodyTimeout: limits.requestTimeoutMs,
      connections: 8,
    });
  }

  get bytes(): number {
    return this.bytesRead;
  }

  /**
   * A GET whose body is JSON; `accept` picks the representation (Table, PartialObjectMetadataList). With
   * `expectStart`, the first bytes of the body must match it (`{"kind":"Table"`): a server or proxy that ignores
   * Accept and answers with whole objects is cut off there, its answer neither read further nor parsed.
   */
  async get(path: string, query: Record<string, string | undefined> = {}, accept = 'application/json', expectStart?: RegExp): Promise<unknown> {
    this.headers ??= registerCredentials({ ...((await this.connection.authorize?.()) ?? {}) });
    const url = new URL(this.base.pathname.replace(/\/$/, '') + path, this.base);
    for (const [k, v] of Object.entries(query)) if (v !== undefined) url.searchParams.set(k, v);
    const res = await request(url, { method: 'GET', dispatcher: this.dispatcher, headers: { ...this.headers, accept, 'user-agent': 'posture' }, ...(this.signal ? { signal: this.signal } : {}) });
    const text = await this.readBounded(res, path, res.statusCode < 400 ? expectStart : undefined);
    if (res.statusCode >= 400) {
      const status = statusBody(text);
      const reason = status.reason ?? `HTTP ${res.statusCode}`;
      // Cut with the redactor: a credential cut in half at the edge is still a piece of one.
      throw new KubeApiError(res.statusCode, reason, `${reason} (HTTP ${res.statusCode}): ${secrets.excerpt((status.message ?? text).replace(/\s+/g, ' '), 400)}`);
    }
    try {
      return JSON.parse(text);
    } catch (err) {
      throw new Error(`GET ${path}: the answer is not JSON (${(err as Error).message})`);
    }
  }

  private async readBounded(res: Dispatcher.ResponseData, path: string, expectStart?: RegExp): Promise<string> {
    const declared = Number(res.headers['content-length'] ?? NaN);
    if (declared > this.limits.maxResponseBytes) {
      discard(res);
      throw new KubeLimitError(`GET ${path}: a ${declared}-byte answer is over the ${this.limits.maxResponseBytes}-byte response cap`);
    }
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of res.body as AsyncIterable<Buffer>) {
      if (size === 0 && expectStart && !expectStart.test(chunk.toString('utf8', 0, Math.min(chunk.length, 256)))) {
        discard(res);
        throw new Error(`GET ${path}: the answer is not the representation asked for (${expectStart.source}); not read`);
      }
      size += chunk.length;
      this.bytesRead += chunk.length;
      if (size > this.limits.maxResponseBytes) {
        discard(res);
        throw new KubeLimitError(`GET ${path}: the answer is over the ${this.limits.maxResponseBytes}-byte response cap`);
      }
      if (this.bytesRead > this.limits.maxClusterBytes) {
        discard(res);
        throw new KubeLimitError(`the cluster's answers are over the ${this.limits.maxClusterBytes}-byte cap for one cluster`);
      }
      chunks.push(chunk);
    }
    return Buffer.concat(chunks).toString('utf8');
  }

  /** One page of a list: `limit` objects from `continue`. */
  async listPage(path: string, cont: string | undefined, options: ListOptions = {}): Promise<ListPage> {
    const doc = (await this.get(path, { ...options.query, limit: String(this.limits.pageSize), continue: cont }, options.accept, options.expect)) as Record<string, unknown> | null;
    if (!doc || typeof doc !== 'object') throw new Error(`GET ${path}: the answer is not an object`);
    const metadata = (doc.metadata ?? {}) as { continue?: unknown };
    const items = Array.isArray(doc.items) ? (doc.items.filter((i) => i && typeof i === 'object') as Record<string, unknown>[]) : [];
    return {
      items,
      continue: typeof metadata.continue === 'string' && metadata.continue !== '' ? metadata.continue : undefined,
      kind: typeof doc.kind === 'string' ? doc.kind : undefined,
      ...(Array.isArray(doc.columnDefinitions) ? { columnDefinitions: doc.columnDefinitions as { name: string }[] } : {}),
      ...(Array.isArray(doc.rows) ? { rows: doc.rows as { cells: unknown[] }[] } : {}),
    };
  }

  /**
   * Every page of a list, up to `objectsPerKind` entries (objects, or Table rows). A server that hands back a
   * `continue` token it already gave is stopped rather than followed forever.
   */
  async *pages(path: string, options: ListOptions = {}): AsyncGenerator<ListPage> {
    let cont: string | undefined;
    const seen = new Set<string>();
    let count = 0;
    do {
      const page = await this.listPage(path, cont, options);
      count += page.rows?.length ?? page.items.length;
      yield page;
      if (count >= this.limits.objectsPerKind && page.continue) throw new KubeLimitError(`GET ${path}: more than ${this.limits.objectsPerKind} objects; the rest were not read`);
      cont = page.continue;
      if (cont !== undefined) {
        if (seen.has(cont)) throw new Error(`GET ${path}: the server repeated a continue token; listing stopped`);
        seen.add(cont);
      }
    } while (cont !== undefined);
  }

  async close(): Promise<void> {
    await this.dispatcher.close();
  }
}
