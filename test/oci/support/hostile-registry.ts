// A registry that an attacker runs: it speaks enough of the OCI distribution API to be pulled from
// (Basic auth, manifests by tag or digest, blobs) and can misbehave per path: serve bytes that do not
// match their digest, drip a body one byte at a time, redirect to another origin, or answer errors
// whose bodies echo the credentials it was sent. A second origin ("elsewhere") stands for a storage
// or token host the attacker also controls; it records every header it receives.
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { freePort } from '../../standins/free-port.ts';
import { sha256, type BuiltLayer } from './layers.ts';

export type Behaviour =
  /** Serve these bytes instead of the stored ones (a tampered or lying blob). */
  | { kind: 'bytes'; body: Buffer }
  /** Send headers, then one byte every `intervalMs`, never finishing within any sane time. */
  | { kind: 'drip'; intervalMs: number }
  /** 307 to `location` (another origin). */
  | { kind: 'redirect'; location: string }
  /** Answer `status` with a body built from the request (e.g. echoing its Authorization header). */
  | { kind: 'answer'; status: number; headers?: Record<string, string>; body: (req: IncomingMessage) => string };

export interface RecordedRequest {
  origin: 'registry' | 'elsewhere';
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
}

export interface PushedImage {
  manifestDigest: string;
  manifest: Buffer;
  configDigest: string;
  layerDigests: string[];
}

export interface HostileRegistry {
  /** 127.0.0.1:PORT of the registry. */
  host: string;
  /** 127.0.0.1:PORT of the attacker's other origin. */
  elsewhere: string;
  requests: RecordedRequest[];
  /** Stores a blob under its true digest and returns it. */
  blob(bytes: Buffer): string;
  /** Stores a manifest (by digest, and under `tag` when given). */
  manifest(repo: string, bytes: Buffer, mediaType: string, tag?: string): string;
  /** Stores a whole image: config, layers and manifest. */
  image(repo: string, tag: string, layers: readonly BuiltLayer[], config?: Record<string, unknown>): PushedImage;
  /** Misbehave on requests to this path (exact match on the registry origin). */
  on(path: string, behaviour: Behaviour): void;
  /** Misbehave on requests to this path of the other origin. */
  onElsewhere(path: string, behaviour: Behaviour): void;
  stop(): Promise<void>;
}

export interface HostileOptions {
  /** Require Basic auth with these credentials on /v2/ (401 with a Basic challenge otherwise). */
  basic?: { username: string; password: string };
  /**
   * Require a Bearer token instead: the challenge names `realm` (default: this registry's own /token),
   * where Basic credentials `basic` buy `token`.
   */
  bearer?: { token: string; realm?: (self: { host: string; elsewhere: string }) => string };
}

const ociManifest = 'application/vnd.oci.image.manifest.v1+json';
const ociConfig = 'application/vnd.oci.image.config.v1+json';

export function imageConfig(layers: readonly BuiltLayer[], extra: Record<string, unknown> = {}): Buffer {
  return Buffer.from(
    JSON.stringify({
      architecture: 'amd64',
      os: 'linux',
      created: '2024-01-01T00:00:00Z',
      config: {},
      rootfs: { type: 'layers', diff_ids: layers.map((l) => l.diffId) },
      ...extra,
    }),
  );
}

export function manifestFor(configBytes: Buffer, layers: readonly { digest: string; size: number; mediaType: string }[]): Buffer {
  return Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: ociManifest,
      config: { mediaType: ociConfig, digest: sha256(configBytes), size: configBytes.length },
      layers: layers.map((l) => ({ mediaType: l.mediaType, digest: l.digest, size: l.size })),
    }),
  );
}

async function listen(server: Server): Promise<string> {
  // Node starts a connection's keep-alive timer (5 s by default) once a response is handed to the kernel, not
  // once the client has read it: a client still analysing a large blob it reads slowly (a loaded machine, a
  // deep tree) lost the rest of the body ("other side closed") and reported an error the case is not about.
  // A registry keeps a connection open while its response is being read; stop() closes every connection.
  server.keepAliveTimeout = 10 * 60_000;
  const port = await freePort();
  await new Promise<void>((r) => server.listen(port, '127.0.0.1', r));
  return `127.0.0.1:${port}`;
}

function act(behaviour: Behaviour, req: IncomingMessage, res: ServerResponse, timers: Set<NodeJS.Timeout>): void {
  switch (behaviour.kind) {
    case 'bytes':
      res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': String(behaviour.body.length) });
      res.end(behaviour.body);
      return;
    case 'drip': {
      res.writeHead(200, { 'content-type': 'application/octet-stream' }); // chunked: no length to refuse it by
      const timer = setInterval(() => {
        if (res.destroyed) {
          clearInterval(timer);
          timers.delete(timer);
          return;
        }
        res.write(Buffer.from([0]));
      }, behaviour.intervalMs);
      timers.add(timer);
      res.on('close', () => {
        clearInterval(timer);
        timers.delete(timer);
      });
      return;
    }
    case 'redirect':
      res.writeHead(307, { location: behaviour.location });
      res.end();
      return;
    case 'answer':
      res.writeHead(behaviour.status, { 'content-type': 'application/json', ...behaviour.headers });
      res.end(behaviour.body(req));
  }
}

export async function startHostileRegistry(options: HostileOptions = {}): Promise<HostileRegistry> {
  const blobs = new Map<string, Buffer>();
  const manifests = new Map<string, { bytes: Buffer; mediaType: string }>(); // `${repo}@${ref}`
  const behaviours = new Map<string, Behaviour>();
  const elsewhereBehaviours = new Map<string, Behaviour>();
  const requests: RecordedRequest[] = [];
  const timers = new Set<NodeJS.Timeout>();
  const basicHeader = options.basic ? `Basic ${Buffer.from(`${options.basic.username}:${options.basic.password}`).toString('base64')}` : null;
  const expected = options.bearer ? `Bearer ${options.bearer.token}` : basicHeader;
  let origins = { host: '', elsewhere: '' };

  const registry = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0]!;
    requests.push({ origin: 'registry', method: req.method ?? 'GET', path, headers: req.headers });
    const special = behaviours.get(path);
    if (special) return act(special, req, res, timers);
    if (options.bearer && path === '/token') {
      if (req.headers.authorization !== basicHeader) {
        res.writeHead(401, { 'content-type': 'application/json' });
        res.end('{"errors":[{"code":"UNAUTHORIZED"}]}');
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ token: options.bearer.token, expires_in: 300 }));
      return;
    }
    if (expected && req.headers.authorization !== expected) {
      const realm = options.bearer ? (options.bearer.realm?.(origins) ?? `http://${origins.host}/token`) : null;
      const challenge = realm ? `Bearer realm="${realm}",service="hostile"` : 'Basic realm="hostile"';
      res.writeHead(401, { 'www-authenticate': challenge, 'content-type': 'application/json' });
      res.end('{"errors":[{"code":"UNAUTHORIZED"}]}');
      return;
    }
    if (path === '/v2/' || path === '/v2') {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{}');
      return;
    }
    const m = /^\/v2\/(.+)\/(manifests|blobs)\/([^/]+)$/.exec(path);
    if (!m) {
      res.writeHead(404);
      res.end();
      return;
    }
    const [, repo, what, ref] = m;
    if (what === 'manifests') {
      const found = manifests.get(`${repo}@${ref}`);
      if (!found) {
        res.writeHead(404, { 'content-type': 'application/json' });
        res.end('{"errors":[{"code":"MANIFEST_UNKNOWN"}]}');
        return;
      }
      res.writeHead(200, { 'content-type': found.mediaType, 'content-length': String(found.bytes.length), 'docker-content-digest': sha256(found.bytes) });
      res.end(req.method === 'HEAD' ? undefined : found.bytes);
      return;
    }
    const bytes = blobs.get(ref!);
    if (!bytes) {
      res.writeHead(404, { 'content-type': 'application/json' });
      res.end('{"errors":[{"code":"BLOB_UNKNOWN"}]}');
      return;
    }
    res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': String(bytes.length) });
    res.end(bytes);
  });

  const elsewhereServer = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0]!;
    requests.push({ origin: 'elsewhere', method: req.method ?? 'GET', path, headers: req.headers });
    const special = elsewhereBehaviours.get(path);
    if (special) return act(special, req, res, timers);
    res.writeHead(404);
    res.end();
  });

  const host = await listen(registry);
  const elsewhere = await listen(elsewhereServer);
  origins = { host, elsewhere };

  const self: HostileRegistry = {
    host,
    elsewhere,
    requests,
    blob(bytes) {
      const digest = sha256(bytes);
      blobs.set(digest, bytes);
      return digest;
    },
    manifest(repo, bytes, mediaType, tag) {
      const digest = sha256(bytes);
      manifests.set(`${repo}@${digest}`, { bytes, mediaType });
      if (tag) manifests.set(`${repo}@${tag}`, { bytes, mediaType });
      return digest;
    },
    image(repo, tag, layers, config) {
      const configBytes = imageConfig(layers, config);
      const configDigest = self.blob(configBytes);
      for (const l of layers) self.blob(l.blob);
      const manifest = manifestFor(configBytes, layers.map((l) => ({ digest: l.digest, size: l.blob.length, mediaType: l.mediaType })));
      const manifestDigest = self.manifest(repo, manifest, ociManifest, tag);
      return { manifestDigest, manifest, configDigest, layerDigests: layers.map((l) => l.digest) };
    },
    on(path, behaviour) {
      behaviours.set(path, behaviour);
    },
    onElsewhere(path, behaviour) {
      elsewhereBehaviours.set(path, behaviour);
    },
    async stop() {
      for (const t of timers) clearInterval(t);
      registry.closeAllConnections();
      elsewhereServer.closeAllConnections();
      await new Promise((r) => registry.close(r));
      await new Promise((r) => elsewhereServer.close(r));
    },
  };
  return self;
}
