// Registry credentials the way docker, crane and skopeo find them: `$DOCKER_CONFIG/config.json` (default
// ~/.docker/config.json). For a registry host, `credHelpers[host]` names a helper, else `credsStore` names
// the default one; a helper is the executable `docker-credential-<name>`, asked with `get` and the server
// address on stdin, answering {"ServerURL","Username","Secret"} (Username "<token>" means Secret is an
// identity token, i.e. an OAuth2 refresh token). A helper in charge of a host has the last word, as in
// docker's own client: "credentials not found" means anonymous, `auths` is not consulted. Without a
// helper the `auths` entry counts: `auth` (base64 user:password), `username`/`password`, `identitytoken`
// or `registrytoken`. Docker Hub is keyed https://index.docker.io/v1/ and its token realm is auth.docker.io.
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import { ConfigError } from '../../../core/config-error.ts';
import type { CredentialProvider, RegistryCredentials } from './credentials.ts';

const AuthEntry = z.looseObject({
  auth: z.string().optional(),
  username: z.string().optional(),
  password: z.string().optional(),
  identitytoken: z.string().optional(),
  registrytoken: z.string().optional(),
});

export const DockerConfigFile = z.looseObject({
  auths: z.record(z.string(), AuthEntry).optional(),
  credsStore: z.string().optional(),
  credHelpers: z.record(z.string(), z.string()).optional(),
});
export type DockerConfigFile = z.infer<typeof DockerConfigFile>;

const HelperAnswer = z.looseObject({ Username: z.string().optional(), Secret: z.string() });

const dockerHubKey = 'https://index.docker.io/v1/';
const dockerHubHosts = new Set(['docker.io', 'index.docker.io', 'registry-1.docker.io']);
/** Helper names are single path segments (docker-credential-<name>), never a path. */
const helperName = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;
const helperTimeoutMs = 20_000;

/** `https://host/v1/`, `host`, `http://host` all name `host`. */
function hostOfKey(key: string): string {
  return key.replace(/^[a-z]+:\/\//i, '').split('/')[0]!.toLowerCase();
}

function serverAddress(host: string): string {
  return dockerHubHosts.has(host) ? dockerHubKey : host;
}

function authEntryFor(config: DockerConfigFile, host: string): z.infer<typeof AuthEntry> | undefined {
  const auths = config.auths ?? {};
  const wanted = dockerHubHosts.has(host) ? dockerHubHosts : new Set([host]);
  for (const [key, entry] of Object.entries(auths)) if (wanted.has(hostOfKey(key))) return entry;
  return undefined;
}

function fromEntry(entry: z.infer<typeof AuthEntry> | undefined, where: string): RegistryCredentials | null {
  if (!entry) return null;
  if (entry.identitytoken) return { kind: 'refresh-token', refreshToken: entry.identitytoken };
  if (entry.registrytoken) return { kind: 'bearer', token: entry.registrytoken };
  if (entry.auth) {
    const decoded = Buffer.from(entry.auth, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon <= 0) throw new ConfigError(`${where}: the "auth" entry is not base64 of user:password`);
    return { kind: 'basic', username: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
  }
  if (entry.username && entry.password) return { kind: 'basic', username: entry.username, password: entry.password };
  return null;
}

/** Runs `docker-credential-<name> get`; null when the helper says it has nothing for the server. */
function askHelper(name: string, server: string, env: NodeJS.ProcessEnv): Promise<RegistryCredentials | null> {
  if (!helperName.test(name)) return Promise.reject(new ConfigError(`docker credential helper name "${name}" is not a plain name`));
  const program = `docker-credential-${name}`;
  return new Promise((resolve, reject) => {
    const child = execFile(program, ['get'], { env, timeout: helperTimeoutMs, maxBuffer: 1024 * 1024 }, (err, stdout, stderr) => {
      if (err) {
        const out = `${stdout}${stderr}`;
        if (/credentials not found/i.test(out)) return resolve(null);
        const why = (err as NodeJS.ErrnoException).code === 'ENOENT' ? `${program} is not on PATH` : `${program} get failed (${err.killed ? 'timed out' : `exit ${String((err as { code?: unknown }).code)}`})`;
        return reject(new Error(`docker credential helper for ${server}: ${why}`));
      }
      const parsed = HelperAnswer.safeParse((() => {
        try {
          return JSON.parse(stdout) as unknown;
        } catch {
          return null;
        }
      })());
      if (!parsed.success) return reject(new Error(`docker credential helper ${program} answered something that is not {"Username","Secret"} JSON`));
      const { Username, Secret } = parsed.data;
      if (!Secret) return resolve(null);
      resolve(Username === '<token>' ? { kind: 'refresh-token', refreshToken: Secret } : { kind: 'basic', username: Username ?? '', password: Secret });
    });
    child.stdin?.end(`${server}\n`);
  });
}

export interface DockerConfigOptions {
  /** Directory holding config.json (default $DOCKER_CONFIG, else ~/.docker). */
  dir?: string;
  env?: NodeJS.ProcessEnv;
}

/** Reads the config once; null when there is no config file (anonymous pulls, as with docker). */
export async function dockerConfigCredentials(options: DockerConfigOptions = {}): Promise<CredentialProvider | null> {
  const env = options.env ?? process.env;
  const dir = options.dir ?? env.DOCKER_CONFIG ?? join(homedir(), '.docker');
  const file = join(dir, 'config.json');
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new ConfigError(`cannot read docker config ${file}: ${(err as Error).message}`);
  }
  let parsed;
  try {
    parsed = DockerConfigFile.safeParse(JSON.parse(text.replace(/^\uFEFF/, '')));
  } catch {
    throw new ConfigError(`docker config ${file} is not JSON`);
  }
  if (!parsed.success) throw new ConfigError(`docker config ${file} is malformed: ${z.prettifyError(parsed.error)}`);
  const config = parsed.data;
  const helpers = new Map(Object.entries(config.credHelpers ?? {}).map(([k, v]) => [hostOfKey(k), v]));
  return {
    matches: () => true,
    async credentials(registry) {
      const host = registry.toLowerCase();
      const helper = helpers.get(host) ?? (dockerHubHosts.has(host) ? helpers.get('index.docker.io') ?? helpers.get('docker.io') : undefined) ?? config.credsStore;
      if (helper) return (await askHelper(helper, serverAddress(host), env)) ?? { kind: 'anonymous' };
      return fromEntry(authEntryFor(config, host), `${file} auths["${host}"]`) ?? { kind: 'anonymous' };
    },
    tokenRealms: (registry) => (dockerHubHosts.has(registry.toLowerCase()) ? ['https://auth.docker.io'] : []),
  };
}
