// The protobuf descriptors the Google clients ship (build/protos/protos.json), loaded once, so
// responses can be re-encoded as the REST JSON the normalizers and policies read.
import { createRequire } from 'node:module';
import protobuf from 'protobufjs';

const require = createRequire(import.meta.url);
const roots = new Map<string, protobuf.Root>();

function rootOf(pkg: '@google-cloud/container' | '@google-cloud/artifact-registry'): protobuf.Root {
  let root = roots.get(pkg);
  if (!root) {
    // The packages export only their entry point; protos.json sits at build/protos beside build/src.
    const entry = require.resolve(pkg);
    const json = require(entry.replace(/build[\\/]src[\\/]index\.js$/, 'build/protos/protos.json')) as protobuf.INamespace;
    root = protobuf.Root.fromJSON(json);
    root.resolveAll();
    roots.set(pkg, root);
  }
  return root;
}

export const gkeClusterType = (): protobuf.Type => rootOf('@google-cloud/container').lookupType('google.container.v1.Cluster');
export const arRepositoryType = (): protobuf.Type => rootOf('@google-cloud/artifact-registry').lookupType('google.devtools.artifactregistry.v1.Repository');
export const arDockerImageType = (): protobuf.Type => rootOf('@google-cloud/artifact-registry').lookupType('google.devtools.artifactregistry.v1.DockerImage');
export const iamPolicyType = (): protobuf.Type => rootOf('@google-cloud/artifact-registry').lookupType('google.iam.v1.Policy');
