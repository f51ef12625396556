// A loopback gRPC server for google.container.v1.ClusterManager, built from the cluster_service.proto
// that ships in @google-cloud/container. It answers ListClusters per project and GetCluster by name from
// bodies the test writes (REST JSON names), and PERMISSION_DENIED for the projects it is told to refuse.
import { createRequire } from 'node:module';
import path from 'node:path';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';

const require = createRequire(import.meta.url);
const packageRoot = (pkg: string) => path.resolve(path.dirname(require.resolve(pkg)), '../..');

export interface GkeStandIn {
  port: number;
  /** `parent` of every ListClusters request, in arrival order. */
  requests: string[];
  stop(): Promise<void>;
}

export interface GkeStandInOptions {
  clusters: Record<string, object[]>;
  denied?: string[];
  missingZones?: Record<string, string[]>;
}

interface ListClustersCall {
  request: { parent?: string };
}
interface GetClusterCall {
  request: { name?: string };
}
type ListClustersCallback = (err: grpc.ServiceError | null, value?: object) => void;

export async function startGkeStandIn(options: GkeStandInOptions): Promise<GkeStandIn> {
  const definition = protoLoader.loadSync('google/container/v1/cluster_service.proto', {
    includeDirs: [path.join(packageRoot('@google-cloud/container'), 'build/protos'), path.join(packageRoot('google-gax'), 'build/protos')],
    keepCase: false,
    longs: String,
    enums: String,
    oneofs: true,
  });
  const loaded = grpc.loadPackageDefinition(definition) as unknown as { google: { container: { v1: { ClusterManager: { service: grpc.ServiceDefinition } } } } };
  const requests: string[] = [];
  const server = new grpc.Server();
  const fail = (code: grpc.status, details: string): grpc.ServiceError => Object.assign(new Error(details), { code, details, metadata: new grpc.Metadata() });
  server.addService(loaded.google.container.v1.ClusterManager.service, {
    listClusters(call: ListClustersCall, callback: ListClustersCallback) {
      const parent = call.request.parent ?? '';
      requests.push(parent);
      const m = /^projects\/([^/]+)\/locations\/([^/]+)$/.exec(parent);
      if (!m) return callback(fail(grpc.status.INVALID_ARGUMENT, `invalid parent ${parent}`));
      const project = m[1] as string;
      if (options.denied?.includes(project)) {
        return callback(fail(grpc.status.PERMISSION_DENIED, `Permission 'container.clusters.list' denied on resource '//container.googleapis.com/projects/${project}/locations/-' (or it may not exist).`));
      }
      const all = options.clusters[project] ?? [];
      const clusters = m[2] === '-' ? all : all.filter((c) => (c as { location?: string }).location === m[2]);
      callback(null, { clusters, missingZones: options.missingZones?.[project] ?? [] });
    },
    getCluster(call: GetClusterCall, callback: ListClustersCallback) {
      const name = call.request.name ?? '';
      requests.push(name);
      const m = /^projects\/([^/]+)\/locations\/([^/]+)\/clusters\/([^/]+)$/.exec(name);
      if (!m) return callback(fail(grpc.status.INVALID_ARGUMENT, `invalid name ${name}`));
      if (options.denied?.includes(m[1] as string)) return callback(fail(grpc.status.PERMISSION_DENIED, `Permission 'container.clusters.get' denied on resource '//container.googleapis.com/${name}'.`));
      const cluster = (options.clusters[m[1] as string] ?? []).find((c) => (c as { location?: string; name?: string }).location === m[2] && (c as { name?: string }).name === m[3]);
      return cluster ? callback(null, cluster) : callback(fail(grpc.status.NOT_FOUND, `Not found: ${name}.`));
    },
  });
  const port = await new Promise<number>((resolve, reject) => server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (err, p) => (err ? reject(err) : resolve(p))));
  return {
    port,
    requests,
    stop: () => new Promise((resolve) => server.tryShutdown(() => resolve())),
  };
}
