// A loopback gRPC server for grafeas.v1.Grafeas ListOccurrences (what containeranalysis.googleapis.com
// serves), built from the grafeas.proto that ships in @google-cloud/grafeas. Occurrences are the test's
// (REST JSON names); the filter is parsed the way Container Analysis documents it (`field="value"` clauses
// joined by AND, on kind and resourceUrl), pages follow page_size / page_token, and projects it is told to
// refuse answer PERMISSION_DENIED as Google does.
import { createRequire } from 'node:module';
import path from 'node:path';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';

const require = createRequire(import.meta.url);
const packageRoot = (pkg: string) => path.resolve(path.dirname(require.resolve(pkg)), '../..');

export interface GrafeasStandIn {
  port: number;
  /** Every ListOccurrences request, in arrival order. */
  requests: { parent: string; filter: string; pageSize: number; pageToken: string }[];
  stop(): Promise<void>;
}

export interface GrafeasStandInOptions {
  /** Occurrences per project id. */
  occurrences: Record<string, object[]>;
  denied?: string[];
  /** Largest page served, whatever page_size asks. */
  maxPageSize?: number;
}

type Callback = (err: grpc.ServiceError | null, value?: object) => void;

export async function startGrafeasStandIn(options: GrafeasStandInOptions): Promise<GrafeasStandIn> {
  const definition = protoLoader.loadSync('grafeas/v1/grafeas.proto', {
    includeDirs: [path.join(packageRoot('@google-cloud/grafeas'), 'build/protos'), path.join(packageRoot('google-gax'), 'build/protos')],
    keepCase: false,
    longs: String,
    enums: String,
    oneofs: true,
  });
  const loaded = grpc.loadPackageDefinition(definition) as unknown as { grafeas: { v1: { Grafeas: { service: grpc.ServiceDefinition } } } };
  const requests: GrafeasStandIn['requests'] = [];
  const fail = (code: grpc.status, details: string): grpc.ServiceError => Object.assign(new Error(details), { code, details, metadata: new grpc.Metadata() });
  const server = new grpc.Server();
  server.addService(loaded.grafeas.v1.Grafeas.service, {
    listOccurrences(call: { request: { parent?: string; filter?: string; pageSize?: number; pageToken?: string } }, callback: Callback) {
      const { parent = '', filter = '', pageSize = 0, pageToken = '' } = call.request;
      requests.push({ parent, filter, pageSize, pageToken });
      const project = /^projects\/([^/]+)$/.exec(parent)?.[1];
      if (!project) return callback(fail(grpc.status.INVALID_ARGUMENT, `invalid parent ${parent}`));
      if (options.denied?.includes(project)) return callback(fail(grpc.status.PERMISSION_DENIED, `Permission 'containeranalysis.occurrences.list' denied on resource 'projects/${project}'`));
      const tests: ((o: Record<string, unknown>) => boolean)[] = [];
      for (const clause of filter ? filter.split(/\s+AND\s+/) : []) {
        const m = /^\s*(\w+)\s*=\s*"([^"]*)"\s*$/.exec(clause);
        if (!m) return callback(fail(grpc.status.INVALID_ARGUMENT, `invalid filter clause ${clause}`));
        const [, field, value] = m;
        if (field === 'kind') tests.push((o) => o.kind === value);
        else if (field === 'resourceUrl') tests.push((o) => o.resourceUri === value);
        else return callback(fail(grpc.status.INVALID_ARGUMENT, `unknown filter field ${field}`));
      }
      const hits = (options.occurrences[project] ?? []).filter((o) => tests.every((t) => t(o as Record<string, unknown>)));
      const start = pageToken ? Number(Buffer.from(pageToken, 'base64').toString('utf8').replace(/^offset:/, '')) : 0;
      if (!Number.isInteger(start)) return callback(fail(grpc.status.INVALID_ARGUMENT, 'invalid page token'));
      const size = Math.min(pageSize > 0 ? pageSize : 100, options.maxPageSize ?? 1000);
      const next = start + size < hits.length ? Buffer.from(`offset:${start + size}`).toString('base64') : '';
      callback(null, { occurrences: hits.slice(start, start + size), nextPageToken: next });
    },
  });
  const port = await new Promise<number>((resolve, reject) => server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (err, p) => (err ? reject(err) : resolve(p))));
  return { port, requests, stop: () => new Promise<void>((resolve) => server.tryShutdown(() => resolve())) };
}
