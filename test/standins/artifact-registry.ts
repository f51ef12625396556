// A loopback HTTP stand-in for Artifact Registry's REST API (v1): locations, repositories (pageToken
// paging), repository IAM policies and Docker images. Bodies are the test's REST JSON; when the client
// asks for `$alt=json;enum-encoding=int` (google-gax REST does) enums are re-encoded as numbers through the
// proto, as Google's front end does. Bearer tokens are checked; refused projects get Google's 403 shape.
import { createRequire } from 'node:module';
import { createServer, type Server } from 'node:http';
import { fromProto3JSON, toProto3JSON } from 'proto3-json-serializer';
import protobuf from 'protobufjs';

const require = createRequire(import.meta.url);

export interface ArProject {
  locations: string[];
  /** REST JSON repositories; `name` decides where each is listed. */
  repositories: Array<Record<string, unknown>>;
  /** IAM policy per repository name (absent → an empty policy `{}` with an etag). */
  iamPolicies?: Record<string, Record<string, unknown>>;
  /** Docker images per repository name, newest first. */
  dockerImages?: Record<string, Array<Record<string, unknown>>>;
}

export interface ArStandInOptions {
  projects: Record<string, ArProject>;
  denied?: string[];
  /** The bearer token callers must present. */
  accessToken: string;
  pageSize: number;
}

export interface ArStandIn {
  host: string;
  port: number;
  /** Method, path and query of each request that passed authentication. */
  requests: { path: string; pageToken: string | null; enumEncoding: string | null }[];
  unauthenticated: number;
  stop(): Promise<void>;
}

function rootType(name: string): protobuf.Type {
  const entry = require.resolve('@google-cloud/artifact-registry');
  const json = require(entry.replace(/build[\\/]src[\\/]index\.js$/, 'build/protos/protos.json')) as protobuf.INamespace;
  const root = protobuf.Root.fromJSON(json);
  root.resolveAll();
  return root.lookupType(name);
}

const googleError = (code: number, status: string, message: string) => JSON.stringify({ error: { code, message, status } });

export async function startArtifactRegistryStandIn(options: ArStandInOptions): Promise<ArStandIn> {
  const types = {
    repositories: rootType('google.devtools.artifactregistry.v1.ListRepositoriesResponse'),
    dockerImages: rootType('google.devtools.artifactregistry.v1.ListDockerImagesResponse'),
  };
  const requests: ArStandIn['requests'] = [];
  let unauthenticated = 0;

  const page = <T>(items: T[], token: string | null, size: number): { items: T[]; next: string | undefined } => {
    const start = token ? Number(Buffer.from(token, 'base64url').toString()) : 0;
    const end = start + size;
    return { items: items.slice(start, end), next: end < items.length ? Buffer.from(String(end)).toString('base64url') : undefined };
  };

  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://ar');
    const send = (status: number, body: string) => {
      res.writeHead(status, { 'content-type': 'application/json; charset=UTF-8' });
      res.end(body);
    };
    if (req.headers.authorization !== `Bearer ${options.accessToken}`) {
      unauthenticated++;
      return send(401, googleError(401, 'UNAUTHENTICATED', 'Request had invalid authentication credentials. Expected OAuth 2 access token.'));
    }
    const alt = url.searchParams.get('$alt');
    const numeric = alt?.includes('enum-encoding=int') ?? false;
    requests.push({ path: url.pathname, pageToken: url.searchParams.get('pageToken'), enumEncoding: numeric ? 'int' : null });
    const encode = (type: protobuf.Type, json: object) => JSON.stringify(numeric ? toProto3JSON(fromProto3JSON(type, json as never)!, { numericEnums: true }) : json);
    const path = decodeURIComponent(url.pathname);
    const project = /^\/v1\/projects\/([^/:]+)/.exec(path)?.[1];
    const data = project ? options.projects[project] : undefined;
    if (project && options.denied?.includes(project)) {
      return send(403, googleError(403, 'PERMISSION_DENIED', `Permission 'artifactregistry.repositories.list' denied on resource '//artifactregistry.googleapis.com/projects/${project}' (or it may not exist).`));
    }
    if (!project || !data || req.method !== 'GET') return send(404, googleError(404, 'NOT_FOUND', `${path} not found`));
    const size = Math.min(Number(url.searchParams.get('pageSize') ?? options.pageSize) || options.pageSize, options.pageSize);
    let m: RegExpExecArray | null;
    if (path === `/v1/projects/${project}/locations`) {
      return send(200, JSON.stringify({ locations: data.locations.map((l) => ({ name: `projects/${project}/locations/${l}`, locationId: l, displayName: l })) }));
    }
    if ((m = /^\/v1\/(projects\/[^/]+\/locations\/[^/]+)\/repositories$/.exec(path))) {
      const parent = m[1];
      const all = data.repositories.filter((r) => String(r.name).startsWith(`${parent}/repositories/`));
      const { items, next } = page(all, url.searchParams.get('pageToken'), size);
      return send(200, encode(types.repositories, { repositories: items, ...(next ? { nextPageToken: next } : {}) }));
    }
    if ((m = /^\/v1\/(projects\/[^/]+\/locations\/[^/]+\/repositories\/[^/:]+):getIamPolicy$/.exec(path))) {
      return send(200, JSON.stringify(data.iamPolicies?.[m[1]!] ?? { etag: 'BwYAAAAAAAA=' }));
    }
    if ((m = /^\/v1\/(projects\/[^/]+\/locations\/[^/]+\/repositories\/[^/]+)\/dockerImages$/.exec(path))) {
      const { items, next } = page(data.dockerImages?.[m[1]!] ?? [], url.searchParams.get('pageToken'), size);
      return send(200, encode(types.dockerImages, { dockerImages: items, ...(next ? { nextPageToken: next } : {}) }));
    }
    send(404, googleError(404, 'NOT_FOUND', `${path} not found`));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  return {
    host: '127.0.0.1',
    port,
    requests,
    get unauthenticated() {
      return unauthenticated;
    },
    stop: () => new Promise((r) => server.close(() => r())),
  };
}
