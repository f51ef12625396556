// Property-based checks (fast-check) over the parsers hostile input reaches first: local JSON inputs,
// manifests and indexes, the layer tar walk, and the event and job schemas. Each property says what must
// hold for any input: no unexpected exception, only the documented error types, nothing quoted back,
// budgets respected, and every job that comes out names a well-formed image. `npm test` runs them with a
// fixed seed (test/fuzz/fuzz.test.ts); `npm run fuzz` runs many more cases (scripts/fuzz.ts).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { pack as tarPack } from 'tar-stream';
import { Job, ScanImageJob } from '../../core/jobs.ts';
import { routeAcrWebhook, routeCloudEvents, routeEventGrid } from '../../functions/events/azure.ts';
import { routeEcrEvent } from '../../functions/events/ecr.ts';
import { routePubSubPush } from '../../functions/events/pubsub.ts';
import { parseJob } from '../../core/jobs.ts';
import { collectLocal } from '../../providers/local/collect.ts';
import { parseJsonDocument } from '../../providers/local/json-input.ts';
import { analyzeLayers } from '../../providers/oci/analysis/analyze-layers.ts';
import { ScanErrorLog } from '../../providers/oci/analysis/scan-error-log.ts';
import { ImageScanError, scanErrorCodes } from '../../providers/oci/errors.ts';
import { resolveLimits } from '../../providers/oci/limits.ts';
import { parseManifestDocument } from '../../providers/oci/manifest.ts';
import { parsePlatform, selectPlatforms } from '../../providers/oci/platform.ts';

export interface NamedProperty {
  name: string;
  /** Cases per `npm test` run; the fuzz script multiplies it. */
  runs: number;
  property: () => fc.IRawProperty<unknown[]>;
}

const knownCodes = new Set<string>(scanErrorCodes);
/** A value that stands for a secret in a file: it must never appear in an error message. */
const marker = fc.stringMatching(/^[A-Za-z0-9]{16,24}$/).map((s) => `Zq${s}`);

/** Strings that parsers find awkward: JSON fragments, controls, NULs, BOMs, deep brackets, long runs. */
const awkwardText = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 200 }),
  fc.json({ maxDepth: 6 }),
  fc.constantFrom('\uFEFF{}', '\uFEFF[]', '{"a":', '[[[[[[', '{"a":"\\u0000"}', '\u001b]0;x\u0007', '"\\', 'null', '1e999999'),
  fc.integer({ min: 1, max: 3_000 }).map((n) => `${'['.repeat(n)}${']'.repeat(n)}`),
  fc.integer({ min: 1, max: 3_000 }).map((n) => `${'{"a":'.repeat(n)}1${'}'.repeat(n)}`),
);

function scratchDir(): string {
  return mkdtempSync(path.join(tmpdir(), 'posture-fuzz-'));
}

const localJson: NamedProperty = {
  name: 'local JSON inputs: any bytes give assets or an error naming the file, never the content',
  runs: 150,
  property: () =>
    fc.property(awkwardText, marker, fc.boolean(), (text, secret, bom) => {
      const file = '/inputs/export.json';
      const body = Buffer.from(`${bom ? '\uFEFF' : ''}${text}${secret}`);
      try {
        parseJsonDocument(body, file);
      } catch (err) {
        const message = (err as Error).message;
        if (!message.startsWith(`${file}: `)) throw new Error(`error does not name the file: ${message}`);
        if (message.includes(secret)) throw new Error(`error quotes the input: ${message}`);
      }
    }) as fc.IRawProperty<unknown[]>,
};

const localShapes: NamedProperty = {
  name: 'local shape recognition: any JSON document is assets or one error for its file',
  runs: 60,
  property: () =>
    fc.asyncProperty(fc.json({ maxDepth: 5 }), fc.constantFrom('cluster', 'taskDefinition', 'services', 'repositories', 'id'), async (json, key) => {
      const dir = scratchDir();
      try {
        const file = path.join(dir, 'doc.json');
        // Half the documents are wrapped under a key that a real shape starts with, to get past the first check.
        writeFileSync(file, json.length % 2 ? json : `{"${key}": ${json}}`);
        const { assets, errors } = await collectLocal([file]);
        if (assets.length > 0 && errors.length > 0) throw new Error('a file gave both assets and errors');
        for (const e of errors) if (e.source !== file) throw new Error(`error names ${e.source}, not ${file}`);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    }) as fc.IRawProperty<unknown[]>,
};

const digest = fc.stringMatching(/^[a-f0-9]{64}$/).map((h) => `sha256:${h}`);
const descriptor = fc.record(
  {
    mediaType: fc.oneof(fc.constantFrom('application/vnd.oci.image.manifest.v1+json', 'application/vnd.oci.image.layer.v1.tar+gzip', 'application/vnd.oci.image.layer.v1.tar+zstd'), fc.string()),
    digest: fc.oneof(digest, fc.string()),
    size: fc.oneof(fc.nat(), fc.integer(), fc.double()),
    platform: fc.option(fc.record({ os: fc.constantFrom('linux', 'windows', 'unknown', ''), architecture: fc.constantFrom('amd64', 'arm64', 'unknown'), variant: fc.option(fc.constantFrom('v7', 'v8')) }), { nil: undefined }),
  },
  { requiredKeys: ['mediaType', 'digest', 'size'] },
);
const manifestLike: fc.Arbitrary<unknown> = fc.oneof(
  fc.record({ schemaVersion: fc.constantFrom(2, 1, '2'), mediaType: fc.option(fc.constantFrom('application/vnd.oci.image.manifest.v1+json', 'application/vnd.docker.distribution.manifest.v2+json', 'application/vnd.oci.artifact.manifest.v1+json')), config: descriptor, layers: fc.array(descriptor, { maxLength: 5 }) }),
  fc.record({ schemaVersion: fc.constantFrom(2, 1), mediaType: fc.option(fc.constantFrom('application/vnd.oci.image.index.v1+json', 'application/vnd.docker.distribution.manifest.list.v2+json')), manifests: fc.array(descriptor, { maxLength: 8 }) }),
  fc.anything(),
);

const manifests: NamedProperty = {
  name: 'manifest and index parsing: any body is a document or an ImageScanError with a known code',
  runs: 300,
  property: () =>
    fc.property(fc.oneof(manifestLike.map((m) => JSON.stringify(m) ?? 'null'), fc.string({ unit: 'binary' })), fc.option(fc.string(), { nil: null }), fc.boolean(), (body, headerType, all) => {
      let doc;
      try {
        doc = parseManifestDocument(Buffer.from(body), headerType, 'fuzz/image:1');
      } catch (err) {
        if (!(err instanceof ImageScanError) || !knownCodes.has(err.code)) throw err;
        return;
      }
      if (doc.kind !== 'index') return;
      try {
        const chosen = selectPlatforms(doc.index.manifests, parsePlatform('linux/amd64'), all, 'fuzz/image:1');
        if (chosen.some((d) => !doc.index.manifests.includes(d))) throw new Error('chose a manifest the index does not list');
      } catch (err) {
        if (!(err instanceof ImageScanError) || err.code !== 'platform-not-found') throw err;
      }
    }) as fc.IRawProperty<unknown[]>,
};

type TarEntry = { name: string; type: 'file' | 'directory' | 'symlink' | 'link'; linkname?: string; body?: string };
const segment = fc.oneof(fc.constantFrom('..', '.', '', 'etc', 'passwd', '.wh..wh..opq', '.wh.etc', 'a\u0000b', '\u001b[2J', 'usr', 'bin'), fc.stringMatching(/^[a-z]{1,8}$/));
const entryName = fc.array(segment, { minLength: 1, maxLength: 12 }).chain((parts) => fc.boolean().map((abs) => `${abs ? '/' : ''}${parts.join('/')}`));
const tarEntry: fc.Arbitrary<TarEntry> = fc.record({
  name: entryName,
  type: fc.constantFrom('file', 'directory', 'symlink', 'link'),
  linkname: fc.option(entryName, { nil: undefined }),
  body: fc.option(fc.oneof(fc.string({ maxLength: 100 }), fc.constantFrom('root:x:0:0:root:/root:/bin/sh\n', 'ID=debian\n', 'AKIAZZZZEXAMPLE12345')), { nil: undefined }),
});

async function tarOf(entries: readonly TarEntry[]): Promise<Buffer> {
  const pack = tarPack();
  const chunks: Buffer[] = [];
  pack.on('data', (c: unknown) => {
    chunks.push(c as Buffer);
  });
  const done = new Promise<void>((r) => pack.on('end', () => r()));
  for (const e of entries) {
    await new Promise<void>((resolve) => {
      const header = { name: e.name || 'x', type: e.type, ...(e.type === 'symlink' || e.type === 'link' ? { linkname: e.linkname ?? 'target' } : {}), mode: 0o4755 };
      if (e.type === 'file') pack.entry(header, e.body ?? '', () => resolve());
      else pack.entry(header, () => resolve());
    });
  }
  pack.finalize();
  await done;
  return Buffer.concat(chunks);
}

/** Flips, cuts or appends bytes, so the walker sees broken tar and gzip streams too. */
const mutation = fc.oneof(
  fc.constant((b: Buffer) => b),
  fc.nat().map((n) => (b: Buffer) => b.subarray(0, b.length ? n % b.length : 0)),
  fc.tuple(fc.nat(), fc.integer({ min: 1, max: 255 })).map(([n, x]) => (b: Buffer) => {
    const c = Buffer.from(b);
    if (c.length) c[n % c.length] = c[n % c.length]! ^ x;
    return c;
  }),
  fc.uint8Array({ maxLength: 600 }).map((junk) => (b: Buffer) => Buffer.concat([b, Buffer.from(junk)])),
);

const tarWalk: NamedProperty = {
  name: 'layer walk: any tar (or broken tar, gzip or not) ends with contents and known scan errors, paths inside the root',
  runs: 120,
  property: () =>
    fc.asyncProperty(fc.array(tarEntry, { maxLength: 25 }), mutation, fc.boolean(), async (entries, mutate, gzip) => {
      const tar = await tarOf(entries);
      const blob = mutate(gzip ? gzipSync(tar) : tar);
      const errors = new ScanErrorLog();
      const limits = resolveLimits({ maxTreeNodes: 200, maxFiles: 40, maxPathLength: 120 });
      const contents = await analyzeLayers([{ digest: `sha256:${'0'.repeat(64)}`, mediaType: 'application/vnd.oci.image.layer.v1.tar', size: blob.length, open: async () => Readable.from([blob]) }], limits, errors);
      for (const e of errors.list()) if (!knownCodes.has(e.code)) throw new Error(`unknown scan error code ${e.code}`);
      for (const p of [...contents.setuidFiles.map((f) => f.path), ...contents.worldWritable.map((f) => f.path), ...contents.secrets.map((s) => s.path)]) {
        if (!p.startsWith('/') || p.split('/').includes('..')) throw new Error(`path outside the root: ${p}`);
      }
      if (contents.fileCount > 40) throw new Error(`file budget exceeded: ${contents.fileCount}`);
    }) as fc.IRawProperty<unknown[]>,
};

/** Any job a router produces must parse as a job, and its image must be one a registry could serve. */
function checkJobs(jobs: readonly unknown[]): void {
  for (const job of jobs) {
    const parsed = Job.safeParse(job);
    if (!parsed.success) throw new Error(`a router produced an invalid job: ${JSON.stringify(job)}`);
    if (parsed.data.type === 'scan-image') ScanImageJob.parse(parsed.data);
  }
}

const registryData = fc.record({
  id: fc.oneof(fc.uuid(), fc.string()),
  timestamp: fc.constant('2026-01-01T00:00:00Z'),
  action: fc.constantFrom('push', 'delete', 'ping'),
  target: fc.record({
    repository: fc.oneof(fc.constantFrom('shop/api', '../etc', 'UPPER/case', 'a//b', 'x'.repeat(300)), fc.string()),
    tag: fc.option(fc.oneof(fc.constantFrom('v1', '-rm', 'a b', 'x'.repeat(200)), fc.string()), { nil: undefined }),
    digest: fc.option(fc.oneof(digest, fc.string()), { nil: undefined }),
  }),
  request: fc.record({ host: fc.oneof(fc.constantFrom('demo.azurecr.io', 'evil.io@x', 'a/b', 'h:99999', '127.0.0.1:5000'), fc.domain(), fc.string()) }),
});

const events: NamedProperty = {
  name: 'event routers and the job schema: any body is routed, ignored or rejected, and every job is well formed',
  runs: 300,
  property: () =>
    fc.property(fc.oneof(registryData, fc.anything()), fc.constantFrom('acr', 'event-grid', 'cloudevents', 'pubsub', 'ecr', 'job'), (data, route) => {
      switch (route) {
        case 'acr': {
          const r = routeAcrWebhook(data);
          if (r.kind !== 'rejected') checkJobs(r.jobs);
          return;
        }
        case 'event-grid': {
          const r = routeEventGrid([{ id: 'e1', subject: 's', eventType: 'Microsoft.ContainerRegistry.ImagePushed', eventTime: 't', data }]);
          if (r.kind !== 'rejected') checkJobs(r.jobs);
          return;
        }
        case 'cloudevents': {
          const r = routeCloudEvents({ specversion: '1.0', id: 'c1', source: '/subscriptions/x', type: 'Microsoft.ContainerRegistry.ImagePushed', data });
          if (r.kind !== 'rejected') checkJobs(r.jobs);
          return;
        }
        case 'pubsub': {
          const shaped = data as { request?: { host?: unknown }; target?: { repository?: unknown } } | null;
          const note = shaped && typeof shaped === 'object' && shaped.request && shaped.target ? { action: 'INSERT', digest: `${String(shaped.request.host)}/${String(shaped.target.repository)}` } : data;
          const r = routePubSubPush({ message: { data: Buffer.from(JSON.stringify(note) ?? '').toString('base64'), messageId: 'm1' }, subscription: 'projects/p/subscriptions/s' });
          if (r.kind !== 'rejected') checkJobs(r.jobs);
          return;
        }
        case 'ecr': {
          const r = routeEcrEvent(data);
          if (r.kind === 'jobs') checkJobs(r.jobs);
          return;
        }
        case 'job':
          try {
            checkJobs([parseJob(JSON.stringify(data) ?? '')]);
          } catch (err) {
            if ((err as Error).name !== 'JobError') throw err;
          }
      }
    }) as fc.IRawProperty<unknown[]>,
};

export const properties: readonly NamedProperty[] = [localJson, localShapes, manifests, tarWalk, events];
