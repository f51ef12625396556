// The real notation v1.3.2 (built by scripts/setup.d/61-notation.sh) signing images in the test registry
// with certificate chains that openssl makes (a test CA and a code-signing leaf, as an organization's own PKI
// would issue), and `notation verify` under an equivalent trust store and trust policy, for its own verdict.
// Everything notation reads (signing keys, trust store, trust policy) lives in a temp XDG_CONFIG_HOME.
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { toolsBin } from '../../oci/support/registry-server.ts';

const run = promisify(execFile);

export interface TestPki {
  name: string;
  /** The CA certificate (PEM), what a trust store holds. */
  caCert: string;
  /** The leaf's private key and the chain notation signs with (leaf then CA, PEM). */
  leafKey: string;
  chain: string;
  /** The leaf's subject, as openssl -subj wrote it. */
  leafSubject: string;
}

export interface Notation {
  /** A CA and a code-signing leaf under it, made by openssl. */
  makePki(name: string, leafSubject: string): Promise<TestPki>;
  /** `notation cert generate-test <name>`: a key and self-signed certificate in notation's config; the certificate's path. */
  generateTest(name: string): Promise<string>;
  sign(imageRef: string, pki: TestPki | string, options?: { format?: 'jws' | 'cose'; expiry?: string }): Promise<void>;
  /** notation's own verdict under a trust store of `trusted`'s CA and these identities. */
  verify(imageRef: string, trusted: TestPki, identities: string[]): Promise<{ ok: boolean; output: string }>;
}

async function exec(file: string, args: string[], env?: NodeJS.ProcessEnv, cwd?: string): Promise<{ stdout: string; stderr: string }> {
  try {
    return await run(file, args, { env, cwd, maxBuffer: 16 * 1024 * 1024 });
  } catch (err) {
    const e = err as { stderr?: string; message: string };
    throw new Error(`${file.split('/').pop()} ${args.join(' ')} failed: ${e.stderr ?? e.message}`);
  }
}

const opensslConfig = [
  '[req]',
  'distinguished_name = dn',
  '[dn]',
  '[ca]',
  'basicConstraints = critical, CA:TRUE, pathlen:1',
  'keyUsage = critical, keyCertSign, cRLSign',
  'subjectKeyIdentifier = hash',
  '[leaf]',
  'basicConstraints = CA:FALSE',
  'keyUsage = critical, digitalSignature',
  'extendedKeyUsage = codeSigning',
  'subjectKeyIdentifier = hash',
  'authorityKeyIdentifier = keyid',
  '',
].join('\n');

export async function notationFor(): Promise<Notation> {
  const home = await mkdtemp(join(tmpdir(), 'posture-notation-'));
  const env = { ...process.env, HOME: home, XDG_CONFIG_HOME: join(home, 'config'), XDG_CACHE_HOME: join(home, 'cache') };
  const configDir = join(home, 'config', 'notation');
  await mkdir(configDir, { recursive: true });
  const cnf = join(home, 'openssl.cnf');
  await writeFile(cnf, opensslConfig);
  const openssl = (args: string[], cwd: string) => exec('openssl', args, env, cwd);
  const notation = (args: string[]) => exec(join(toolsBin, 'notation'), args, env);
  const keys: { name: string; keyPath: string; certPath: string }[] = [];
  return {
    async makePki(name, leafSubject) {
      const dir = await mkdtemp(join(home, `pki-${name}-`));
      await openssl(['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'ca.key', '-out', 'ca.crt', '-days', '3', '-subj', `/C=US/ST=WA/O=${name}/CN=${name} test CA`, '-config', cnf, '-extensions', 'ca'], dir);
      await openssl(['req', '-new', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'leaf.key', '-out', 'leaf.csr', '-subj', leafSubject, '-config', cnf], dir);
      await openssl(['x509', '-req', '-in', 'leaf.csr', '-CA', 'ca.crt', '-CAkey', 'ca.key', '-set_serial', '2', '-days', '2', '-out', 'leaf.crt', '-extfile', cnf, '-extensions', 'leaf'], dir);
      const { readFile } = await import('node:fs/promises');
      await writeFile(join(dir, 'chain.crt'), `${await readFile(join(dir, 'leaf.crt'), 'utf8')}${await readFile(join(dir, 'ca.crt'), 'utf8')}`);
      keys.push({ name, keyPath: join(dir, 'leaf.key'), certPath: join(dir, 'chain.crt') });
      await writeFile(join(configDir, 'signingkeys.json'), JSON.stringify({ keys }));
      return { name, caCert: join(dir, 'ca.crt'), leafKey: join(dir, 'leaf.key'), chain: join(dir, 'chain.crt'), leafSubject };
    },
    async generateTest(name) {
      await notation(['cert', 'generate-test', name]);
      return join(configDir, 'localkeys', `${name}.crt`);
    },
    async sign(imageRef, pki, options = {}) {
      await notation(['sign', '--key', typeof pki === 'string' ? pki : pki.name, '--insecure-registry', '--signature-format', options.format ?? 'jws', ...(options.expiry ? ['--expiry', options.expiry] : []), imageRef]);
    },
    async verify(imageRef, trusted, identities) {
      const store = join(configDir, 'truststore', 'x509', 'ca', trusted.name);
      await mkdir(store, { recursive: true });
      const { copyFile } = await import('node:fs/promises');
      await copyFile(trusted.caCert, join(store, 'ca.crt'));
      const policy = {
        version: '1.0',
        trustPolicies: [{ name: 'posture-test', registryScopes: ['*'], signatureVerification: { level: 'strict' }, trustStores: [`ca:${trusted.name}`], trustedIdentities: identities }],
      };
      await writeFile(join(configDir, 'trustpolicy.json'), JSON.stringify(policy));
      try {
        const { stdout, stderr } = await notation(['verify', '--insecure-registry', imageRef]);
        return { ok: true, output: `${stdout}${stderr}` };
      } catch (err) {
        return { ok: false, output: (err as Error).message };
      }
    },
  };
}
