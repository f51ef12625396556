// Pull credentials for an image job, chosen by the image's registry host (not by the endpoint it is pulled
// through): ECR hosts get GetAuthorizationToken under the worker's own IAM role, *.azurecr.io the ACR token
// exchange with an Entra token (workload identity federation from AWS), *-docker.pkg.dev and gcr.io a Google
// access token from ADC (external_account from AWS). Any other host is pulled anonymously.
// Providers are kept per registry for the life of the Lambda container, so tokens are reused across jobs.
// Imports are the providers' leaf modules, not their index: the image path must not pull in the
// collectors' SDKs (see scope-loader.ts).
import { ECRClient } from '@aws-sdk/client-ecr';
import type { TokenCredential } from '@azure/core-auth';
import type { AuthClient } from 'google-auth-library';
import type { AwsSettings, AzureSettings } from '../../core/config.ts';
import type { AwsCredentials } from '../../providers/aws/clients.ts';
import { ecrCredentialProvider } from '../../providers/aws/ecr-credentials.ts';
import { azureCredential } from '../../providers/azure/credentials.ts';
import { acrCredentials, isAcrHost } from '../../providers/azure/registry-credentials.ts';
import { defaultGoogleAuthClient } from '../../providers/gcp/auth.ts';
import { googleRegistryCredentials, isGoogleRegistryHost } from '../../providers/gcp/registry-credentials.ts';
import type { CredentialProvider } from '../../providers/oci/index.ts';

const ecrHostPattern = /^(\d{12})\.dkr\.ecr(?:-fips)?\.([a-z]{2}(?:-[a-z]+)+-\d+)\.amazonaws\.com(\.cn)?$/;

/** Account, region and partition of an ECR registry host, or null for any other host. */
export function parseEcrHost(host: string): { account: string; region: string; partition: string } | null {
  const m = ecrHostPattern.exec(host.toLowerCase());
  if (!m) return null;
  return { account: m[1] as string, region: m[2] as string, partition: m[3] ? 'aws-cn' : 'aws' };
}

/** `{account}.dkr.ecr.{region}.amazonaws.com`, `.com.cn` in China. */
export function ecrRegistryHost(account: string, region: string): string {
  return `${account}.dkr.ecr.${region}.amazonaws.com${region.startsWith('cn-') ? '.cn' : ''}`;
}

/** An ECR API client for one account's registry in one region, honouring posture.yaml's endpoint and retry settings. */
export function ecrClient(settings: AwsSettings, account: string, region: string, credentials?: AwsCredentials): ECRClient {
  const template = settings.endpoints.ecr;
  return new ECRClient({
    region,
    ...(credentials ? { credentials } : {}),
    ...(template ? { endpoint: template.replaceAll('{region}', region).replaceAll('{account}', account) } : {}),
    useFipsEndpoint: settings.useFipsEndpoint,
    retryMode: 'adaptive',
    maxAttempts: settings.maxAttempts,
  });
}

export type RegistryKind = 'ecr' | 'acr' | 'google' | 'anonymous';

export function registryKindOf(host: string): RegistryKind {
  if (parseEcrHost(host)) return 'ecr';
  if (isAcrHost(host)) return 'acr';
  if (isGoogleRegistryHost(host)) return 'google';
  return 'anonymous';
}

export interface RegistryAccessOptions {
  /** ECR API endpoint overrides and retry settings come from here; the role is the worker's own. */
  aws: { settings: AwsSettings; credentials?: AwsCredentials };
  /** Federation settings decide the Entra credential; `credential` overrides it (tests, other hosts). */
  azure: { settings: Pick<AzureSettings, 'federation'>; credential?: TokenCredential };
  /** Default: Application Default Credentials. */
  google: { authClient?: Pick<AuthClient, 'getAccessToken'> };
  /** Hosts spoken to over plain HTTP (loopback stand-ins only). */
  insecureHosts: readonly string[];
}

export class RegistryAccess {
  private readonly providers = new Map<string, CredentialProvider>();
  private azure: TokenCredential | undefined;
  private google: Promise<Pick<AuthClient, 'getAccessToken'>> | undefined;

  constructor(private readonly options: RegistryAccessOptions) {}

  /**
   * The provider for an image of `registry`, answering for the host actually spoken to (`pulledFrom`:
   * the registry itself, or a VPC endpoint / stand-in that serves it). Undefined: pull anonymously.
   */
  providerFor(registry: string, pulledFrom: string): CredentialProvider | undefined {
    const key = `${registry.toLowerCase()} ${pulledFrom.toLowerCase()}`;
    const cached = this.providers.get(key);
    if (cached) return cached;
    const made = this.make(registry, pulledFrom);
    if (made) this.providers.set(key, made);
    return made;
  }

  private make(registry: string, pulledFrom: string): CredentialProvider | undefined {
    const forHost = (inner: CredentialProvider): CredentialProvider => ({
      matches: (host) => host.toLowerCase() === pulledFrom.toLowerCase(),
      credentials: (host, scope) => inner.credentials(host, scope),
    });
    const ecr = parseEcrHost(registry);
    if (ecr) {
      const client = ecrClient(this.options.aws.settings, ecr.account, ecr.region, this.options.aws.credentials);
      return forHost(ecrCredentialProvider(client, pulledFrom, ecr.account));
    }
    if (isAcrHost(registry)) {
      const tenantId = this.options.azure.settings.federation?.tenantId;
      const credential = (this.azure ??= this.options.azure.credential ?? azureCredential(this.options.azure.settings));
      return forHost(acrCredentials(credential, { ...(tenantId ? { tenantId } : {}), extraHosts: [pulledFrom], insecureHosts: this.options.insecureHosts }));
    }
    if (isGoogleRegistryHost(registry)) {
      const auth: Pick<AuthClient, 'getAccessToken'> = {
        getAccessToken: async () => {
          this.google ??= this.options.google.authClient ? Promise.resolve(this.options.google.authClient) : defaultGoogleAuthClient();
          return (await this.google).getAccessToken();
        },
      };
      return forHost(googleRegistryCredentials(auth, [pulledFrom]));
    }
    return undefined;
  }
}
