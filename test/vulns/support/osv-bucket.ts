// A loopback stand-in for the public OSV bucket: GET /<ecosystem>/all.zip with ETag and Last-Modified,
// answering 304 to a matching If-None-Match / If-Modified-Since, as the bucket does. Each ecosystem's
// archive can be swapped for a corrupt one or for a response cut off mid-body.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import yazl from 'yazl';
import { freePort } from '../../standins/free-port.ts';

export const fixturesDir = new URL('../osv/', import.meta.url).pathname;

/** Zips a folder of OSV records as the bucket does: `<id>.json` members at the root. */
export function zipRecords(files: Record<string, string>): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const zip = new yazl.ZipFile();
    for (const [name, text] of Object.entries(files)) zip.addBuffer(Buffer.from(text), name);
    zip.end();
    const chunks: Buffer[] = [];
    zip.outputStream.on('data', (c: Buffer) => chunks.push(c));
    zip.outputStream.on('end', () => resolve(Buffer.concat(chunks)));
    zip.outputStream.on('error', reject);
  });
}

export function recordsOf(ecosystem: string): Record<string, string> {
  const dir = path.join(fixturesDir, ecosystem);
  return Object.fromEntries(readdirSync(dir).filter((f) => f.endsWith('.json')).map((f) => [f, readFileSync(path.join(dir, f), 'utf8')]));
}

export type Behaviour = { kind: 'zip'; body: Buffer; lastModified: string } | { kind: 'cut-off'; body: Buffer } | { kind: 'status'; code: number };

export class OsvBucket {
  readonly requests: { path: string; ifNoneMatch: string | null; status: number }[] = [];
  private readonly archives = new Map<string, Behaviour>();
  private constructor(private readonly server: Server, readonly baseUrl: string) {}

  static async start(): Promise<OsvBucket> {
    const port = await freePort();
    let bucket: OsvBucket | undefined;
    const server = createServer((req, res) => bucket!.handle(req, res));
    await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
    bucket = new OsvBucket(server, `http://127.0.0.1:${port}`);
    return bucket;
  }

  set(ecosystem: string, behaviour: Behaviour): void {
    this.archives.set(ecosystem, behaviour);
  }

  private handle(req: IncomingMessage, res: ServerResponse) {
    const m = /^\/([^/]+)\/all\.zip$/.exec(req.url ?? '');
    const b = m ? this.archives.get(decodeURIComponent(m[1]!)) : undefined;
    const log = (status: number) => this.requests.push({ path: req.url ?? '', ifNoneMatch: (req.headers['if-none-match'] as string) ?? null, status });
    if (!b) {
      log(404);
      return res.writeHead(404).end('NoSuchKey');
    }
    if (b.kind === 'status') {
      log(b.code);
      return res.writeHead(b.code).end();
    }
    const etag = `"${createHash('md5').update(b.body).digest('hex')}"`;
    if (b.kind === 'zip' && req.headers['if-none-match'] === etag) {
      log(304);
      return res.writeHead(304, { etag }).end();
    }
    if (b.kind === 'cut-off') {
      log(200);
      // Announce the whole archive, send half, then drop the connection.
      res.writeHead(200, { 'content-length': String(b.body.length), 'content-type': 'application/zip' });
      res.write(b.body.subarray(0, Math.floor(b.body.length / 2)), () => res.socket?.destroy());
      return;
    }
    log(200);
    res.writeHead(200, { 'content-length': String(b.body.length), 'content-type': 'application/zip', etag, 'last-modified': b.lastModified });
    res.end(b.body);
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      this.server.closeAllConnections();
      this.server.close(() => resolve());
    });
  }
}
