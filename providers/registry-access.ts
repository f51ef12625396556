// Pull credentials for an image, chosen by the image's registry host (not by the endpoint it is pulled
// through): the provider whose registries match the host supplies them (ECR: GetAuthorizationToken under
// the caller's own identity; ACR: Entra token exchange; Artifact Registry: a Google access token). Any
// other host is pulled anonymously. Providers are kept per registry for the life of the run (the Lambda
// container), so tokens are reused across images. Each provider's pull module is loaded on first use.
import type { CredentialProvider } from './oci/index.ts';
import { allProviders, providerById, type AnyProvider, type ProviderId } from './registry.ts';

export interface RegistryAccessOptions {
  settingsOf(id: string): unknown;
  accessOf(id: string): unknown;
  /** Hosts spoken to over plain HTTP (loopback stand-ins only). */
  insecureHosts: readonly string[];
  /** Hosts served like a provider's registry besides the ones it recognises (custom domains, stand-ins). */
  registryHosts: Readonly<Record<string, ProviderId>>;
}

/** The provider whose registries serve `host`, if any. */
export function registryProviderOf(host: string, registryHosts: Readonly<Record<string, ProviderId>> = {}): AnyProvider | undefined {
  const named = registryHosts[host] ?? registryHosts[host.toLowerCase()];
  if (named) return providerById(named);
  return allProviders().find((p) => p.registries?.matches(host));
}

/** `ecr`, `acr`, `google` (the registry service of the provider that recognises the host) or `anonymous`. */
export function registryKindOf(host: string): string {
  return registryProviderOf(host)?.registries?.kind ?? 'anonymous';
}

export class RegistryAccess {
  private readonly providers = new Map<string, Promise<CredentialProvider | undefined>>();

  constructor(private readonly options: RegistryAccessOptions) {}

  /**
   * The credentials for an image of `registry`, answering for the host actually spoken to (`pulledFrom`:
   * the registry itself, or a VPC endpoint / stand-in that serves it). Undefined: pull anonymously.
   */
  providerFor(registry: string, pulledFrom: string): Promise<CredentialProvider | undefined> {
    const key = `${registry.toLowerCase()} ${pulledFrom.toLowerCase()}`;
    let made = this.providers.get(key);
    if (!made) {
      made = this.make(registry, pulledFrom);
      made.catch(() => this.providers.delete(key));
      this.providers.set(key, made);
    }
    return made;
  }

  private async make(registry: string, pulledFrom: string): Promise<CredentialProvider | undefined> {
    const provider = registryProviderOf(registry, this.options.registryHosts) ?? registryProviderOf(pulledFrom, this.options.registryHosts);
    if (!provider?.registries) return undefined;
    const module = await provider.registries.load();
    const inner = module.pullCredentials({
      settings: this.options.settingsOf(provider.id),
      access: this.options.accessOf(provider.id),
      registry,
      pulledFrom,
      insecureHosts: this.options.insecureHosts,
    });
    return {
      matches: (host) => host.toLowerCase() === pulledFrom.toLowerCase(),
      credentials: (host, scope) => inner.credentials(host, scope),
    };
  }
}
