// A pod spec (a Pod's, or a controller's template) in the workload model ECS task definitions fill too.
// Kubernetes semantics live here: a container-level security setting overrides the pod-level one, a port
// is a host port when hostPort is set (or the pod shares the host network), and `null` means "not set".
import type { Container, SecurityProfile, WorkloadAsset } from '../../../core/asset.ts';
import type { KubeContainer, PodSpec } from './objects.ts';
import { mebibytes, millicores } from './quantity.ts';

type Workload = WorkloadAsset['workload'];
type PodFields = Omit<Workload, 'platform' | 'name' | 'revision' | 'kubernetes'>;

const handlers = ['livenessProbe', 'readinessProbe', 'startupProbe'] as const;

/** `sha256:<hex>` out of a container status imageID (`docker-pullable://repo@sha256:…`, `repo@sha256:…`, `sha256:…`). */
export function digestOf(imageId: string | undefined): string | null {
  const m = /sha256:[0-9a-f]{64}/.exec(imageId ?? '');
  return m ? m[0] : null;
}

/** The legacy per-container AppArmor annotation value in the profile terms of `appArmorProfile`. */
function appArmorAnnotation(value: string | undefined): SecurityProfile | null {
  if (value === undefined) return null;
  if (value === 'runtime/default') return { type: 'RuntimeDefault', localhostProfile: null };
  if (value === 'unconfined') return { type: 'Unconfined', localhostProfile: null };
  if (value.startsWith('localhost/')) return { type: 'Localhost', localhostProfile: value.slice('localhost/'.length) };
  return { type: value, localhostProfile: null };
}

const profile = (p: { type: string; localhostProfile?: string | undefined } | undefined): SecurityProfile | null =>
  p ? { type: p.type, localhostProfile: p.localhostProfile ?? null } : null;

function probeHosts(c: KubeContainer): Container['probeHosts'] {
  const out: Container['probeHosts'] = [];
  const visit = (name: string, h: { httpGet?: { host?: string | undefined } | undefined; tcpSocket?: { host?: string | undefined } | undefined } | undefined) => {
    if (h?.httpGet?.host) out.push({ handler: `${name}.httpGet`, host: h.httpGet.host });
    if (h?.tcpSocket?.host) out.push({ handler: `${name}.tcpSocket`, host: h.tcpSocket.host });
  };
  for (const name of handlers) visit(name, c[name]);
  visit('lifecycle.postStart', c.lifecycle?.postStart);
  visit('lifecycle.preStop', c.lifecycle?.preStop);
  return out;
}

function container(
  c: KubeContainer,
  role: Container['role'],
  spec: PodSpec,
  namespace: string,
  annotations: Record<string, string>,
  digests: ReadonlyMap<string, string>,
): Container {
  const sc = c.securityContext ?? {};
  const psc = spec.securityContext ?? {};
  const runAsUser = sc.runAsUser ?? psc.runAsUser ?? null;
  const runAsGroup = sc.runAsGroup ?? psc.runAsGroup ?? null;
  const windowsUser = spec.os?.name === 'windows' ? (sc.windowsOptions?.runAsUserName ?? psc.windowsOptions?.runAsUserName) : undefined;
  const user = windowsUser ?? (runAsUser === null ? null : runAsGroup === null ? String(runAsUser) : `${runAsUser}:${runAsGroup}`);
  const seLinux = sc.seLinuxOptions ?? psc.seLinuxOptions;
  const limits = c.resources?.limits ?? {};
  const requests = c.resources?.requests ?? {};
  const secrets: Container['secrets'] = [];
  const env: Container['env'] = [];
  for (const e of c.env ?? []) {
    if (e.value !== undefined) env.push({ name: e.name, value: e.value });
    const ref = e.valueFrom?.secretKeyRef;
    if (ref) secrets.push({ name: e.name, source: `secret:${namespace}/${ref.name ?? ''}#${ref.key}` });
  }
  for (const from of c.envFrom ?? []) {
    if (from.secretRef) secrets.push({ name: `${from.prefix ?? ''}*`, source: `secret:${namespace}/${from.secretRef.name ?? ''}` });
  }
  // With the host network the API server sets hostPort to containerPort: every container port is a host port.
  const hostPorts = (c.ports ?? [])
    .map((p) => (p.hostPort !== undefined && p.hostPort > 0 ? p.hostPort : spec.hostNetwork === true ? p.containerPort : undefined))
    .filter((p): p is number => typeof p === 'number' && p > 0);
  return {
    name: c.name,
    image: c.image ?? '',
    role,
    imageDigest: digests.get(c.name) ?? null,
    privileged: sc.privileged ?? false,
    user,
    runAsUser,
    runAsGroup,
    runAsNonRoot: sc.runAsNonRoot ?? psc.runAsNonRoot ?? null,
    allowPrivilegeEscalation: sc.allowPrivilegeEscalation ?? null,
    readOnlyRootFilesystem: sc.readOnlyRootFilesystem ?? false,
    capabilities: { add: sc.capabilities?.add ?? [], drop: sc.capabilities?.drop ?? [] },
    seccompProfile: profile(sc.seccompProfile ?? psc.seccompProfile),
    appArmorProfile:
      profile(sc.appArmorProfile) ??
      appArmorAnnotation(annotations[`container.apparmor.security.beta.kubernetes.io/${c.name}`]) ??
      profile(psc.appArmorProfile),
    seLinuxOptions: seLinux
      ? { user: seLinux.user ?? null, role: seLinux.role ?? null, type: seLinux.type ?? null, level: seLinux.level ?? null }
      : null,
    procMount: sc.procMount ?? null,
    windowsHostProcess: (sc.windowsOptions?.hostProcess ?? psc.windowsOptions?.hostProcess) === true,
    env,
    secrets,
    hostPorts,
    mounts: (c.volumeMounts ?? []).map((m) => ({ volume: m.name, path: m.mountPath, readOnly: m.readOnly ?? false })),
    devices: [],
    probeHosts: probeHosts(c),
    logging: null,
    memoryLimitMiB: mebibytes(limits.memory),
    memoryRequestMiB: mebibytes(requests.memory),
    cpuLimitMillicores: millicores(limits.cpu),
    cpuRequestMillicores: millicores(requests.cpu),
  };
}

/** The volume source's key (hostPath, emptyDir, configMap, nfs …): the one key besides `name`. */
function volumeSource(volume: Record<string, unknown>): string {
  return Object.keys(volume).find((k) => k !== 'name') ?? 'emptyDir';
}

export function normalizePodSpec(
  spec: PodSpec,
  namespace: string,
  annotations: Record<string, string>,
  digests: ReadonlyMap<string, string>,
): PodFields {
  const all = [
    ...(spec.initContainers ?? []).map((c) => container(c, 'init', spec, namespace, annotations, digests)),
    ...spec.containers.map((c) => container(c, 'app', spec, namespace, annotations, digests)),
    ...(spec.ephemeralContainers ?? []).map((c) => container(c, 'ephemeral', spec, namespace, annotations, digests)),
  ];
  const psc = spec.securityContext ?? {};
  return {
    networkMode: null,
    hostNetwork: spec.hostNetwork ?? false,
    hostPid: spec.hostPID ?? false,
    hostIpc: spec.hostIPC ?? false,
    hostUsers: spec.hostUsers ?? true,
    shareProcessNamespace: spec.shareProcessNamespace ?? false,
    sysctls: (psc.sysctls ?? []).map((s) => ({ name: s.name, value: s.value ?? '' })),
    supplementalGroups: psc.supplementalGroups ?? [],
    fsGroup: psc.fsGroup ?? null,
    compatibilities: [],
    osFamily: spec.os?.name ? spec.os.name.toUpperCase() : null,
    memoryLimitMiB: mebibytes(spec.resources?.limits?.memory),
    cpuLimitMillicores: millicores(spec.resources?.limits?.cpu),
    containers: all,
    volumes: (spec.volumes ?? []).map((v) => ({ name: v.name, source: volumeSource(v), hostPath: v.hostPath?.path ?? null })),
  };
}
