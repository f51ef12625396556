// A registry speaking the OCI distribution API for one repository: manifests by tag or digest, blobs
// streamed with their digest checked. Authenticates on demand from the registry's own challenge and
// keeps the token for the repository's scope until shortly before it expires. Credentials stay with
// their origin: a challenge from anywhere a redirect led is refused, and a token realm receives them
// only when it is the registry's own origin or one the configuration or the credential provider names.
import type { Readable } from 'node:stream';
import { log } from '../../../core/log.ts';
import { secrets } from '../../../core/redact.ts';
import { DigestVerifier, digestOf, verified, verifyBuffer } from '../digest.ts';
import { ImageScanError, RegistryError } from '../errors.ts';
import type { FetchedManifest, ImageSource } from '../image-source.ts';
import { manifestAccept, type Descriptor } from '../manifest.ts';
import type { ParsedReference } from '../reference.ts';
import { parseChallenge } from './challenge.ts';
import { basicHeader, providerFor, type CredentialProvider, type RegistryCredentials } from './credentials.ts';
import { errorExcerpt, readCapped, type HttpClient, type HttpResponse } from './http.ts';
import { fetchBearerToken, type BearerToken } from './token-flow.ts';

export interface RegistryClientOptions {
  credentialProviders?: readonly CredentialProvider[];
  insecureHosts?: readonly string[];
  /** Token realm origins besides the registry's own that may receive its credentials (from configuration). */
  tokenRealms?: readonly string[];
}

const renewBeforeMs = 10_000;

export class RegistryClient implements ImageSource {
  readonly registry: string;
  readonly repository: string;
  readonly tag: string | null;
  readonly digest: string | null;
  private readonly base: URL;
  private readonly insecure: ReadonlySet<string>;
  private readonly scope: string;
  private auth: { header: string; token: BearerToken | null } | null = null;
  /** A token realm our credentials were kept from (said in the error if the registry then refuses). */
  private withheldFrom: string | null = null;

  constructor(
    ref: ParsedReference,
    private readonly http: HttpClient,
    private readonly options: RegistryClientOptions = {},
  ) {
    this.registry = ref.registry;
    this.repository = ref.repository;
    this.tag = ref.tag;
    this.digest = ref.digest;
    this.insecure = new Set(options.insecureHosts ?? []);
    this.base = new URL(`${this.insecure.has(ref.apiHost) ? 'http' : 'https'}://${ref.apiHost}/v2/${ref.repository}/`);
    this.scope = `repository:${ref.repository}:pull`;
  }

  async rootManifest(maxBytes: number, signal?: AbortSignal): Promise<FetchedManifest> {
    return this.fetchManifest(this.digest ?? this.tag!, this.digest, maxBytes, signal);
  }

  async manifest(descriptor: Descriptor, maxBytes: number, signal?: AbortSignal): Promise<FetchedManifest> {
    if (descriptor.size > maxBytes) throw new ImageScanError('manifest-too-large', `${this.where(descriptor.digest)}: manifest declares ${descriptor.size} bytes, over the ${maxBytes}-byte limit`);
    return this.fetchManifest(descriptor.digest, descriptor.digest, maxBytes, signal);
  }

  async blob(descriptor: Descriptor, maxBytes: number, signal?: AbortSignal): Promise<Buffer> {
    const what = `${this.where()} blob ${descriptor.digest}`;
    if (descriptor.size > maxBytes) throw new ImageScanError('manifest-too-large', `${what}: declares ${descriptor.size} bytes, over the ${maxBytes}-byte limit`);
    const res = await this.get(`blobs/${descriptor.digest}`, {}, what, signal);
    const bytes = await readCapped(res, maxBytes, what);
    verifyBuffer(bytes, descriptor.digest, what);
    return bytes;
  }

  async openBlob(descriptor: Descriptor, signal?: AbortSignal): Promise<Readable> {
    const what = `${this.where()} blob ${descriptor.digest}`;
    const res = await this.get(`blobs/${descriptor.digest}`, {}, what, signal);
    // Destroying the result (stopping early) ends the download too.
    return verified(res.body as unknown as Readable, new DigestVerifier(descriptor.digest, descriptor.size, what));
  }

  /**
   * A manifest by tag, or null when the tag does not exist (signature tags such as `sha256-<hex>.sig` are
   * looked up this way, and most images have none).
   */
  async manifestByTag(tag: string, maxBytes: number, signal?: AbortSignal): Promise<FetchedManifest | null> {
    try {
      return await this.fetchManifest(tag, null, maxBytes, signal);
    } catch (err) {
      if (err instanceof RegistryError && err.code === 'registry-not-found') return null;
      throw err;
    }
  }

  /**
   * One page of the OCI 1.1 referrers API for `digest`: the index, and the next page's URL from the Link
   * header. Null when the registry does not implement the API (it answers 404; the spec forbids a
   * registry that implements it from doing so), so the caller falls back to the `sha256-<hex>` tag.
   */
  async referrersPage(digest: string, maxBytes: number, signal?: AbortSignal, pageUrl?: string): Promise<{ bytes: Buffer; next: string | null } | null> {
    const what = `${this.where(digest)} referrers`;
    const path = pageUrl ? new URL(pageUrl, this.base) : new URL(`referrers/${digest}`, this.base);
    if (path.origin !== this.base.origin) throw new RegistryError('registry-error', `${what}: next page ${path.origin} is on another origin`, null);
    let res: HttpResponse;
    try {
      res = await this.get(path.pathname.slice(this.base.pathname.length) + path.search, { accept: 'application/vnd.oci.image.index.v1+json' }, what, signal);
    } catch (err) {
      if (err instanceof RegistryError && err.code === 'registry-not-found') return null;
      throw err;
    }
    const bytes = await readCapped(res, maxBytes, what);
    const link = res.headers['link'];
    const next = typeof link === 'string' ? (/<([^>]+)>\s*;\s*rel="?next"?/.exec(link)?.[1] ?? null) : null;
    return { bytes, next };
  }

  private async fetchManifest(reference: string, expectedDigest: string | null, maxBytes: number, signal?: AbortSignal): Promise<FetchedManifest> {
    const what = this.where(reference);
    const res = await this.get(`manifests/${reference}`, { accept: manifestAccept }, what, signal);
    const bytes = await readCapped(res, maxBytes, what);
    const mediaType = typeof res.headers['content-type'] === 'string' ? res.headers['content-type'] : null;
    if (expectedDigest) {
      verifyBuffer(bytes, expectedDigest, what);
      return { bytes, mediaType, digest: expectedDigest };
    }
    return { bytes, mediaType, digest: digestOf(bytes) };
  }

  /** GET under /v2/<repo>/, authenticating once if challenged; non-2xx answers become RegistryErrors. */
  private async get(path: string, headers: Record<string, string>, what: string, signal?: AbortSignal): Promise<HttpResponse> {
    const url = new URL(path, this.base);
    let res = await this.http.send('GET', url, { ...headers, ...(await this.authHeader()) }, undefined, signal);
    if (res.status === 401) {
      const challenge = res.headers['www-authenticate'];
      await res.body.dump();
      if (res.url.origin !== this.base.origin) {
        // A blob redirect leads to storage; a 401 there is not the registry asking, whatever realm it names.
        throw new RegistryError('registry-unauthorized', `${what}: ${res.url.origin}, reached by a redirect, answered 401; credentials for ${this.registry} are sent only to ${this.base.origin} and its token realm`, 401);
      }
      await this.authenticate(typeof challenge === 'string' ? challenge : Array.isArray(challenge) ? challenge[0] : undefined, what, signal);
      res = await this.http.send('GET', url, { ...headers, ...(await this.authHeader()) }, undefined, signal);
    }
    if (res.status >= 200 && res.status < 300) return res;
    const why = await errorExcerpt(res);
    const withheld = this.withheldFrom && (res.status === 401 || res.status === 403) ? ` (credentials were not sent to token realm ${this.withheldFrom}: it is not ${this.base.origin} and no configuration names it)` : '';
    const detail = `${what}: registry answered ${res.status}${why ? ` ${why}` : ''}${withheld}`;
    if (res.status === 401 || res.status === 403) throw new RegistryError('registry-unauthorized', detail, res.status);
    if (res.status === 404) throw new RegistryError('registry-not-found', detail, res.status);
    throw new RegistryError('registry-error', detail, res.status);
  }

  private async authHeader(): Promise<Record<string, string>> {
    if (!this.auth) return {};
    if (this.auth.token && this.auth.token.expiresAt - renewBeforeMs < Date.now()) {
      this.auth = null; // expired: the next 401 fetches a fresh one
      return {};
    }
    return { authorization: this.auth.header };
  }

  private async authenticate(header: string | undefined, what: string, signal?: AbortSignal): Promise<void> {
    const challenge = parseChallenge(header);
    const provider = providerFor(this.options.credentialProviders, this.registry);
    const credentials: RegistryCredentials = provider ? await provider.credentials(this.registry, this.scope) : { kind: 'anonymous' };
    remember(credentials);
    if (challenge?.scheme === 'basic') {
      if (credentials.kind !== 'basic') throw new RegistryError('registry-unauthorized', `${what}: registry wants Basic auth and no username/password is configured for ${this.registry}`, 401);
      if (this.base.protocol !== 'https:' && !this.insecure.has(this.base.host)) throw new RegistryError('registry-unauthorized', `${what}: refusing Basic auth over plain HTTP`, 401);
      this.auth = { header: basicHeader(credentials.username, credentials.password), token: null };
      return;
    }
    if (challenge?.scheme === 'bearer') {
      const scope = challenge.params.scope ?? this.scope;
      const trusted = new Set([this.base.origin, ...(this.options.tokenRealms ?? []), ...(provider?.tokenRealms?.(this.registry) ?? [])].map(originOf));
      const realm = originOf(challenge.params.realm ?? '');
      const mayReceive = credentials.kind === 'anonymous' || trusted.has(realm);
      if (!mayReceive) this.withheldFrom = realm;
      const token = await fetchBearerToken(this.http, challenge, mayReceive ? credentials : { kind: 'anonymous' }, scope, this.insecure, signal);
      secrets.add(token.token);
      log.debug({ registry: this.registry, scope, credentials: mayReceive ? credentials.kind : 'withheld' }, 'registry token obtained');
      this.auth = { header: `Bearer ${token.token}`, token };
      return;
    }
    throw new RegistryError('registry-unauthorized', `${what}: registry answered 401 with ${header ? `an unsupported challenge "${header.split(' ')[0]}"` : 'no WWW-Authenticate challenge'}`, 401);
  }

  private where(reference?: string): string {
    const ref = reference ? (reference.includes(':') ? `@${reference}` : `:${reference}`) : '';
    return `${this.registry}/${this.repository}${ref}`;
  }
}

/** Every credential we hold is registered for scrubbing before any server can echo it back. */
function remember(credentials: RegistryCredentials): void {
  if (credentials.kind === 'basic') secrets.add(credentials.password, credentials.username);
  else if (credentials.kind === 'bearer') secrets.add(credentials.token);
  else if (credentials.kind === 'refresh-token') secrets.add(credentials.refreshToken);
}

function originOf(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return url;
  }
}
