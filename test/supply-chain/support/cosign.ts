// The real cosign (built by scripts/setup.d/60-supply-chain.sh) signing images in the test registry, with
// keys of its own making and no transparency log, as a private signing setup without Rekor would.
import { execFile } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { toolsBin } from '../../oci/support/registry-server.ts';

const run = promisify(execFile);
const password = 'posture-test-key-password';

export interface CosignKeyPair {
  dir: string;
  privateKey: string;
  publicKey: string;
}

export interface Cosign {
  generateKeyPair(): Promise<CosignKeyPair>;
  /** `form: legacy` writes the `sha256-<hex>.sig` simple-signing form, `bundle` the Sigstore bundle (cosign v3's default). */
  sign(imageRef: string, key: CosignKeyPair, form: 'bundle' | 'legacy'): Promise<void>;
  /** cosign's own verdict on the image under a public key: true when `cosign verify` accepts it. */
  verify(imageRef: string, key: CosignKeyPair): Promise<{ ok: boolean; output: string }>;
  /** `cosign attest --type <type> --predicate <file>`, in the bundle (default) or the legacy `.att` form. */
  attest(imageRef: string, key: CosignKeyPair, type: string, predicateFile: string, form: 'bundle' | 'legacy'): Promise<void>;
  /** cosign's own verdict on the image's attestations of a type: true when `cosign verify-attestation` accepts one. */
  verifyAttestation(imageRef: string, key: CosignKeyPair, type: string): Promise<boolean>;
  /** `cosign trusted-root create`: the trusted root a private deployment hands its verifiers, from its CA chain and log key. */
  trustedRootCreate(out: string, options: { fulcioUrl: string; chainFile: string; rekorUrl: string; rekorKeyFile: string }): Promise<string>;
  /** A PEM private key (e.g. a certificate's) in cosign's encrypted key format, as `cosign import-key-pair` writes it. */
  importKey(pem: string): Promise<CosignKeyPair>;
  /** `cosign sign --key … --certificate …` (bundle form, no transparency log): a keyless-form signature made with a key we hold. */
  signWithCertificate(imageRef: string, key: CosignKeyPair, certFile: string, chainFile?: string): Promise<void>;
  /** `cosign verify --trusted-root … --certificate-identity … --certificate-oidc-issuer …`: cosign's verdict on a keyless signature. */
  verifyKeyless(imageRef: string, options: { trustedRoot: string; identity: string; identityRegExp?: boolean; issuer: string; ignoreTlog?: boolean }): Promise<{ ok: boolean; output: string }>;
}

export async function cosignFor(): Promise<Cosign> {
  const home = await mkdtemp(join(tmpdir(), 'posture-cosign-'));
  // cosign reads docker config and its own cache under HOME; both stay in a temp directory.
  const env = { ...process.env, HOME: home, DOCKER_CONFIG: join(home, '.docker'), COSIGN_PASSWORD: password, COSIGN_YES: 'true' };
  const cosign = async (args: string[], cwd?: string) => {
    try {
      return await run(join(toolsBin, 'cosign'), args, { env, cwd, maxBuffer: 16 * 1024 * 1024 });
    } catch (err) {
      const e = err as { stderr?: string; stdout?: string; message: string; code?: number };
      throw Object.assign(new Error(`cosign ${args.join(' ')} failed: ${e.stderr ?? e.message}`), { stderr: e.stderr ?? '', code: e.code });
    }
  };
  const registryFlags = ['--allow-http-registry', '--allow-insecure-registry'];
  return {
    async generateKeyPair() {
      const dir = await mkdtemp(join(home, 'key-'));
      await cosign(['generate-key-pair'], dir);
      return { dir, privateKey: join(dir, 'cosign.key'), publicKey: join(dir, 'cosign.pub') };
    },
    async sign(imageRef, key, form) {
      await cosign(['sign', '--key', key.privateKey, '--tlog-upload=false', '--use-signing-config=false', ...(form === 'legacy' ? ['--new-bundle-format=false'] : []), ...registryFlags, imageRef]);
    },
    async attest(imageRef, key, type, predicateFile, form) {
      await cosign(['attest', '--key', key.privateKey, '--type', type, '--predicate', predicateFile, '--tlog-upload=false', '--use-signing-config=false', ...(form === 'legacy' ? ['--new-bundle-format=false'] : []), ...registryFlags, imageRef]);
    },
    async verifyAttestation(imageRef, key, type) {
      try {
        await cosign(['verify-attestation', '--key', key.publicKey, '--type', type, '--insecure-ignore-tlog=true', ...registryFlags, imageRef]);
        return true;
      } catch {
        return false;
      }
    },
    async trustedRootCreate(out, { fulcioUrl, chainFile, rekorUrl, rekorKeyFile }) {
      await cosign(['trusted-root', 'create', `--fulcio=url=${fulcioUrl},certificate-chain=${chainFile},start-time=2026-01-01T00:00:00Z`, `--rekor=url=${rekorUrl},public-key=${rekorKeyFile},start-time=2026-01-01T00:00:00Z`, '--out', out]);
      return out;
    },
    async importKey(pem) {
      const dir = await mkdtemp(join(home, 'imported-'));
      await writeFile(join(dir, 'source.pem'), pem, { mode: 0o600 });
      await cosign(['import-key-pair', '--key', 'source.pem', '--output-key-prefix', 'cosign'], dir);
      return { dir, privateKey: join(dir, 'cosign.key'), publicKey: join(dir, 'cosign.pub') };
    },
    async signWithCertificate(imageRef, key, certFile, chainFile) {
      await cosign(['sign', '--key', key.privateKey, '--certificate', certFile, ...(chainFile ? ['--certificate-chain', chainFile] : []), '--tlog-upload=false', '--use-signing-config=false', ...registryFlags, imageRef]);
    },
    async verifyKeyless(imageRef, { trustedRoot, identity, identityRegExp, issuer, ignoreTlog }) {
      // No CT log in a private deployment without one: SCTs are not required; a chain in the bundle is allowed.
      const args = ['verify', '--trusted-root', trustedRoot, identityRegExp ? '--certificate-identity-regexp' : '--certificate-identity', identity, '--certificate-oidc-issuer', issuer, '--insecure-ignore-sct', '--allow-certificate-chain', ...(ignoreTlog ? ['--insecure-ignore-tlog=true'] : []), ...registryFlags, imageRef];
      try {
        const { stdout, stderr } = await cosign(args);
        return { ok: true, output: `${stdout}${stderr}` };
      } catch (err) {
        return { ok: false, output: (err as { stderr: string }).stderr };
      }
    },
    async verify(imageRef, key) {
      try {
        const { stdout, stderr } = await cosign(['verify', '--key', key.publicKey, '--insecure-ignore-tlog=true', ...registryFlags, imageRef]);
        return { ok: true, output: `${stdout}${stderr}` };
      } catch (err) {
        return { ok: false, output: (err as { stderr: string }).stderr };
      }
    },
  };
}
