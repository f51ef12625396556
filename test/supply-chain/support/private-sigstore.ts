// A private Sigstore deployment made at test time, the way an organisation runs its own: a certificate
// authority (root + intermediate, issued by the real openssl CLI) that issues short-lived code-signing
// leaves carrying Fulcio's identity extensions, and a transparency log key (node:crypto). The trusted root
// naming both is written by `cosign trusted-root create` (support/cosign.ts), as an operator would.
//
// The log itself is played by `logEntry`: it records a bundle's DSSE envelope as Rekor does (entry kind
// `dsse` v0.0.1: payload hash, envelope hash, the signature and the signing certificate), returning the
// bundle's `tlogEntries[]` element with an inclusion promise (the log's signed entry timestamp over body,
// integrated time, log index and log id) and an inclusion proof against a checkpoint the log signed
// (a signed note). Facts from the Rekor and protobuf-specs formats; see docs/supply-chain-keyless.md.
import { execFile } from 'node:child_process';
import { createHash, generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { json } from '@sigstore/core';

const run = promisify(execFile);
const openssl = (args: string[], cwd: string) => run('openssl', args, { cwd });

const fulcioIssuerV1 = '1.3.6.1.4.1.57264.1.1';
const fulcioIssuerV2 = '1.3.6.1.4.1.57264.1.8';

/** openssl's date form for `ca -startdate/-enddate`. */
const asn1Time = (d: Date) => `${d.toISOString().replace(/[-:T]/g, '').slice(0, 14)}Z`;

export interface Leaf {
  /** The leaf's private key (PKCS#8 PEM), for cosign import-key-pair. */
  keyPem: string;
  certFile: string;
  /** Intermediate then root, as `cosign sign --certificate-chain` wants. */
  chainFile: string;
  certPem: string;
}

export interface CertificateAuthority {
  name: string;
  dir: string;
  rootPem: string;
  intermediatePem: string;
  issue(options: { identity: string; issuer: string; notBefore: Date; notAfter: Date; email?: boolean }): Promise<Leaf>;
}

/** A root and an intermediate CA under `dir/<name>`, valid through 2036. */
export async function certificateAuthority(parent: string, name: string): Promise<CertificateAuthority> {
  const dir = join(parent, name);
  await mkdir(join(dir, 'newcerts'), { recursive: true });
  await writeFile(join(dir, 'index.txt'), '');
  await writeFile(join(dir, 'serial'), '1000\n');
  const config = (extra: string) =>
    [
      '[ca]',
      'default_ca = ca_default',
      '[ca_default]',
      'dir = .',
      'database = ./index.txt',
      'new_certs_dir = ./newcerts',
      'serial = ./serial',
      'default_md = sha256',
      'policy = policy_any',
      'unique_subject = no',
      '[policy_any]',
      'organizationName = optional',
      'commonName = optional',
      '[v3_root]',
      'basicConstraints = critical,CA:true',
      'keyUsage = critical,keyCertSign,cRLSign',
      'subjectKeyIdentifier = hash',
      '[v3_intermediate]',
      'basicConstraints = critical,CA:true,pathlen:0',
      'keyUsage = critical,keyCertSign,cRLSign',
      'extendedKeyUsage = codeSigning',
      'subjectKeyIdentifier = hash',
      'authorityKeyIdentifier = keyid',
      extra,
    ].join('\n');
  await writeFile(join(dir, 'ca.cnf'), config(''));
  const caDates = ['-startdate', '20260101000000Z', '-enddate', '20361231000000Z'];
  for (const k of ['root', 'intermediate']) await openssl(['ecparam', '-name', 'prime256v1', '-genkey', '-noout', '-out', `${k}.key`], dir);
  await openssl(['req', '-new', '-key', 'root.key', '-subj', `/O=${name}/CN=${name} root`, '-out', 'root.csr'], dir);
  await openssl(['ca', '-batch', '-config', 'ca.cnf', '-selfsign', '-keyfile', 'root.key', '-in', 'root.csr', ...caDates, '-extensions', 'v3_root', '-notext', '-out', 'root.crt'], dir);
  await openssl(['req', '-new', '-key', 'intermediate.key', '-subj', `/O=${name}/CN=${name} intermediate`, '-out', 'intermediate.csr'], dir);
  await openssl(['ca', '-batch', '-config', 'ca.cnf', '-cert', 'root.crt', '-keyfile', 'root.key', '-in', 'intermediate.csr', ...caDates, '-extensions', 'v3_intermediate', '-notext', '-out', 'intermediate.crt'], dir);
  const rootPem = await readFile(join(dir, 'root.crt'), 'utf8');
  const intermediatePem = await readFile(join(dir, 'intermediate.crt'), 'utf8');
  let leaves = 0;
  return {
    name,
    dir,
    rootPem,
    intermediatePem,
    async issue({ identity, issuer, notBefore, notAfter, email }) {
      const id = `leaf-${++leaves}`;
      // Fulcio's leaf: no subject, the identity as a critical SAN, the OIDC issuer in both extension forms
      // (v1: the raw string; v2: a DER UTF8String), code signing only.
      const leafSection = [
        `[v3_leaf]`,
        'basicConstraints = critical,CA:false',
        'keyUsage = critical,digitalSignature',
        'extendedKeyUsage = codeSigning',
        'subjectKeyIdentifier = hash',
        'authorityKeyIdentifier = keyid',
        `subjectAltName = critical,${email ? 'email' : 'URI'}:${identity}`,
        `${fulcioIssuerV1} = DER:${Buffer.from(issuer).toString('hex')}`,
        `${fulcioIssuerV2} = ASN1:UTF8String:${issuer}`,
      ].join('\n');
      await writeFile(join(dir, `${id}.cnf`), config(leafSection));
      const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
      const keyPem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
      await writeFile(join(dir, `${id}.key`), keyPem, { mode: 0o600 });
      await openssl(['req', '-new', '-key', `${id}.key`, '-subj', '/', '-out', `${id}.csr`], dir);
      await openssl(['ca', '-batch', '-config', `${id}.cnf`, '-cert', 'intermediate.crt', '-keyfile', 'intermediate.key', '-in', `${id}.csr`, '-startdate', asn1Time(notBefore), '-enddate', asn1Time(notAfter), '-extensions', 'v3_leaf', '-notext', '-out', `${id}.crt`], dir);
      const certFile = join(dir, `${id}.crt`);
      const chainFile = join(dir, `${id}.chain.pem`);
      await writeFile(chainFile, intermediatePem + rootPem);
      return { keyPem, certFile, chainFile, certPem: await readFile(certFile, 'utf8') };
    },
  };
}

export interface TransparencyLog {
  baseUrl: string;
  publicKey: KeyObject;
  /** SHA-256 of the key's DER SubjectPublicKeyInfo: the log id. */
  logId: Buffer;
  /** The bundle's tlog entry for `bundle`'s DSSE envelope, integrated at `integratedTime`. `tamper` alters the recorded body first. */
  logEntry(bundle: SigstoreBundleJson, integratedTime: Date, tamper?: (body: DsseBody) => void): TlogEntryJson;
}

export interface SigstoreBundleJson {
  verificationMaterial: { x509CertificateChain?: { certificates: { rawBytes: string }[] }; certificate?: { rawBytes: string }; tlogEntries?: TlogEntryJson[] };
  dsseEnvelope: { payload: string; payloadType: string; signatures: { sig: string }[] };
}

export interface DsseBody {
  apiVersion: '0.0.1';
  kind: 'dsse';
  spec: { envelopeHash: { algorithm: 'sha256'; value: string }; payloadHash: { algorithm: 'sha256'; value: string }; signatures: { signature: string; verifier: string }[] };
}

export type TlogEntryJson = Record<string, unknown>;

const sha256 = (...parts: Buffer[]) => {
  const h = createHash('sha256');
  for (const p of parts) h.update(p);
  return h.digest();
};

export function transparencyLog(host = 'rekor.posture.test'): TransparencyLog {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const logId = sha256(publicKey.export({ type: 'spki', format: 'der' }));
  const treeId = 4242n;
  let size = 0;
  return {
    baseUrl: `https://${host}`,
    publicKey,
    logId,
    logEntry(bundle, integratedTime, tamper) {
      const envelope = bundle.dsseEnvelope;
      const material = bundle.verificationMaterial;
      const leafDer = Buffer.from((material.x509CertificateChain?.certificates[0] ?? material.certificate)!.rawBytes, 'base64');
      const leafPem = `-----BEGIN CERTIFICATE-----\n${leafDer.toString('base64').replace(/(.{64})/g, '$1\n')}\n-----END CERTIFICATE-----\n`;
      const body: DsseBody = {
        apiVersion: '0.0.1',
        kind: 'dsse',
        spec: {
          envelopeHash: { algorithm: 'sha256', value: sha256(Buffer.from(JSON.stringify(envelope))).toString('hex') },
          payloadHash: { algorithm: 'sha256', value: sha256(Buffer.from(envelope.payload, 'base64')).toString('hex') },
          signatures: envelope.signatures.map((s) => ({ signature: s.sig, verifier: Buffer.from(leafPem).toString('base64') })),
        },
      };
      tamper?.(body);
      const canonicalBody = Buffer.from(json.canonicalize(body));
      // This log holds one earlier entry and then this one: a two-leaf tree, so the proof has one hash.
      const logIndex = ++size;
      const earlier = sha256(Buffer.from([0]), Buffer.from(`earlier entry ${logIndex}`));
      const leafHash = sha256(Buffer.from([0]), canonicalBody);
      const rootHash = sha256(Buffer.from([1]), earlier, leafHash);
      const time = Math.floor(integratedTime.getTime() / 1000);
      const promise = json.canonicalize({ body: canonicalBody.toString('base64'), integratedTime: time, logID: logId.toString('hex'), logIndex });
      const set = sign('sha256', Buffer.from(promise), privateKey);
      const note = `${host} - ${treeId}\n2\n${rootHash.toString('base64')}\n`;
      const noteSignature = Buffer.concat([logId.subarray(0, 4), sign('sha256', Buffer.from(note), privateKey)]);
      return {
        logIndex: String(logIndex),
        logId: { keyId: logId.toString('base64') },
        kindVersion: { kind: 'dsse', version: '0.0.1' },
        integratedTime: String(time),
        inclusionPromise: { signedEntryTimestamp: set.toString('base64') },
        inclusionProof: {
          logIndex: '1',
          rootHash: rootHash.toString('base64'),
          treeSize: '2',
          hashes: [earlier.toString('base64')],
          checkpoint: { envelope: `${note}\n\u2014 ${host} ${noteSignature.toString('base64')}\n` },
        },
        canonicalizedBody: canonicalBody.toString('base64'),
      };
    },
  };
}

export async function tempDir(prefix: string): Promise<string> {
  const { tmpdir } = await import('node:os');
  return mkdtemp(join(tmpdir(), prefix));
}
