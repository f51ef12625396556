// posture.yaml: everything a team tunes (residency classes, trusted registries, thresholds).
// Validated here, then handed to Rego as `data.config`; rules never hard-code these values.
import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { PublishConfig } from '../publishers/config.ts';
import { ExceptionsConfig, ModesConfig } from './exceptions.ts';

const Jurisdictions = z.array(z.string().min(1));

const AwsAccountId = z.string().regex(/^\d{12}$/, 'an AWS account id is 12 digits');
const AwsRegionName = z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d+$/, 'an AWS region name looks like eu-west-1');
/** `{region}` and `{account}` are filled per scope, so one entry serves VPC endpoints, FIPS and test stand-ins. */
const EndpointTemplate = z.string().regex(/^https?:\/\/[^\s/]+(\/[^\s]*)?$/, 'an endpoint is an http(s) URL');

/** `posture scan --aws`: which accounts and regions to read, how to reach them, how hard to push. */
export const AwsSettings = z
  .object({
    /** Role assumed in every account other than the caller's own (the caller's is read directly). */
    roleName: z.string().regex(/^[\w+=,.@-]{1,64}$/, 'an IAM role name').default('PostureAudit'),
    rolePath: z.string().regex(/^\/([\w+=,.@-]+\/)*$/, 'an IAM path like / or /security/').default('/'),
    externalId: z.string().min(2).max(1224).optional(),
    sessionName: z.string().regex(/^[\w+=,.@-]{2,64}$/).default('posture'),
    /** Accounts to scan; empty means the caller's own (plus the organization's with `organizations`). */
    accounts: z.array(AwsAccountId).default([]),
    /** Add every ACTIVE account from AWS Organizations ListAccounts (needs the management or a delegated account). */
    organizations: z.boolean().default(false),
    /** Regions to scan; empty means every region enabled for each account (EC2 DescribeRegions). */
    regions: z.array(AwsRegionName).default([]),
    /** Region for global calls (STS, Organizations, DescribeRegions); default from AWS_REGION, else us-east-1. */
    homeRegion: AwsRegionName.optional(),
    services: z.array(z.enum(['ecr', 'ecs', 'eks'])).min(1).default(['ecr', 'ecs', 'eks']),
    /** Per-service API endpoint overrides (VPC endpoints, FIPS, stand-ins). */
    endpoints: z.partialRecord(z.enum(['sts', 'ec2', 'organizations', 'ecr', 'ecs', 'eks']), EndpointTemplate).default({}),
    /** Where ECR images are pulled from; default https://{account}.dkr.ecr.{region}.amazonaws.com. */
    registryEndpoint: EndpointTemplate.optional(),
    useFipsEndpoint: z.boolean().default(false),
    /** Most recently pushed images pulled and analyzed per repository; 0 reads repositories only. */
    imagesPerRepository: z.number().int().min(0).max(1000).default(3),
    analyzeLayers: z.boolean().default(true),
    /** In-flight API requests across all accounts and regions, and account × region scopes worked at once. */
    concurrency: z
      .object({ requests: z.number().int().min(1).max(256).default(16), scopes: z.number().int().min(1).max(64).default(4) })
      .strict()
      .prefault({}),
    /** SDK attempts per request in adaptive retry mode (throttling backs off and slows the client). */
    maxAttempts: z.number().int().min(1).max(20).default(6),
  })
  .strict();
export type AwsSettings = z.infer<typeof AwsSettings>;

/** `host` or `host:port` of an API endpoint (private service connect, sovereign clouds, stand-ins). */
const HostPort = z.string().regex(/^[A-Za-z0-9.-]+(:\d{1,5})?$/, 'an endpoint host looks like container.googleapis.com or host:port');
const GcpProjectId = z.string().regex(/^([a-z0-9.-]+:)?[a-z][a-z0-9-]{4,28}[a-z0-9]$/, 'a Google Cloud project id is 6-30 lowercase letters, digits and hyphens');

/** `posture scan --gcp`: which projects to read and how. Credentials come from ADC, never from here. */
export const GcpSettings = z
  .object({
    projects: z.array(GcpProjectId).default([]),
    services: z.array(z.enum(['gke', 'artifact-registry'])).min(1).default(['gke', 'artifact-registry']),
    /** Artifact Registry locations to read (e.g. europe-west3, europe); empty means every location the project lists. */
    locations: z.array(z.string().regex(/^[a-z]+(-[a-z]+\d+)?$/, 'a location looks like europe-west3 or europe')).default([]),
    endpoints: z.object({ container: HostPort.optional(), artifactRegistry: HostPort.optional() }).strict().default({}),
    /** Newest images pulled and analyzed per Docker repository; 0 reads repositories only. */
    imagesPerRepository: z.number().int().min(0).max(1000).default(3),
    analyzeLayers: z.boolean().default(true),
    /** Projects worked at once. */
    concurrency: z.number().int().min(1).max(64).default(4),
  })
  .strict();
export type GcpSettings = z.infer<typeof GcpSettings>;

const AzureGuid = z.guid('an Azure subscription, tenant or client id is a GUID');

/** `posture scan --azure`: which subscriptions to read and how. Credentials come from @azure/identity, never from here. */
export const AzureSettings = z
  .object({
    subscriptions: z.array(AzureGuid).default([]),
    services: z.array(z.enum(['aks', 'acr'])).min(1).default(['aks', 'acr']),
    /** Azure Resource Manager endpoint; default https://management.azure.com (set it for sovereign clouds). */
    endpoint: z.string().regex(/^https:\/\/[^\s/]+\/?$/, 'the ARM endpoint is an https:// origin').optional(),
    /**
     * Workload identity federation from AWS: an Entra app or user-assigned identity that trusts this
     * Lambda role's STS web identity token. Without it the default chain (env, managed identity, az) is used.
     */
    federation: z
      .object({
        tenantId: AzureGuid,
        clientId: AzureGuid,
        audience: z.string().min(1).default('api://AzureADTokenExchange'),
        /** STS region for GetWebIdentityToken (regional endpoints only); default AWS_REGION. */
        stsRegion: AwsRegionName.optional(),
        signingAlgorithm: z.enum(['RS256', 'ES384']).default('RS256'),
      })
      .strict()
      .optional(),
    /** ACR images to pull and analyze (host/repository:tag or @digest); registries are read either way. */
    images: z.array(z.string().min(3)).default([]),
    analyzeLayers: z.boolean().default(true),
    /** Subscriptions worked at once. */
    concurrency: z.number().int().min(1).max(64).default(4),
    /** Retries per ARM request (429 honours Retry-After; 5xx and dropped connections back off). */
    maxRetries: z.number().int().min(0).max(20).default(4),
  })
  .strict();
export type AzureSettings = z.infer<typeof AzureSettings>;

export const Config = z
  .object({
    residency: z
      .object({
        /** Tag / label keys that carry the data classification; the first present wins. */
        tagKeys: z.array(z.string().min(1)).min(1).default(['data-classification']),
        /** Class assumed when the tag is missing or its value is outside the taxonomy (fail closed). */
        defaultClass: z.string().min(1).default('restricted'),
        /** Jurisdiction codes (or groups EEA, ADEQUATE, or `*`) allowed per class. */
        allowed: z.record(z.string(), Jurisdictions).default({
          public: ['*'],
          internal: ['*'],
          personal: ['EEA', 'ADEQUATE'],
          pii: ['EEA', 'ADEQUATE'],
          restricted: ['EU'],
        }),
        /** Accounts / projects that may receive replicated copies. */
        approvedAccounts: z.array(z.string()).default([]),
        /** Judge where workloads pull images from (DR-007); turn off where images never carry regulated data. */
        checkImageSources: z.boolean().default(true),
        /**
         * Where registries live whose host does not say (ACR `<name>.azurecr.io`, private mirrors):
         * host → provider and region. Hosts neither parsed nor listed here are unknown and fail closed.
         */
        registryLocations: z
          .record(z.string().min(1), z.object({ provider: z.enum(['aws', 'azure', 'gcp']), location: z.string().min(1) }).strict())
          .default({}),
      })
      .strict()
      .prefault({}),
    image: z
      .object({
        trustedRegistries: z.array(z.string().min(1)).default([]),
        maxAgeDays: z.number().int().positive().default(90),
        setuidAllowList: z.array(z.string()).default(['/usr/bin/passwd', '/bin/su', '/usr/bin/su']),
      })
      .strict()
      .prefault({}),
    ecs: z
      .object({
        /** Newest Fargate platform version per OS family (Security Hub ECS.10's parameters); LATEST always passes. */
        fargatePlatformVersions: z
          .object({ linux: z.string().regex(/^\d+\.\d+\.\d+$/).default('1.4.0'), windows: z.string().regex(/^\d+\.\d+\.\d+$/).default('1.0.0') })
          .strict()
          .prefault({}),
      })
      .strict()
      .prefault({}),
    kubernetes: z
      .object({
        /** Oldest minor version still accepted (EKS/AKS/GKE version rules). */
        minVersion: z.string().regex(/^\d+\.\d+$/).default('1.31'),
      })
      .strict()
      .prefault({}),
    aws: AwsSettings.prefault({}),
    azure: AzureSettings.prefault({}),
    gcp: GcpSettings.prefault({}),
    /** Accepted risks: matching findings become `suppressed` until the exception expires. */
    exceptions: ExceptionsConfig,
    /** audit | warn | ticket per rule and per framework: whether a finding is published at all. */
    modes: ModesConfig,
    /** Where findings are published (Jira, ServiceNow, GRC webhook, Security Hub). */
    publish: PublishConfig,
  })
  .strict();
export type Config = z.infer<typeof Config>;

/**
 * The part of the config that rules judge by. Collection, publishing and credentials settings
 * stay out of Rego: policies have no use for them and they must not end up in evidence.
 */
export function policyData(config: Config) {
  const { residency, image, ecs, kubernetes } = config;
  return { residency, image, ecs, kubernetes };
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

export function parseConfig(value: unknown, origin = 'config'): Config {
  const parsed = Config.safeParse(value ?? {});
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => {
      const key = i.path.length ? i.path.join('.') : '(root)';
      return `  ${key}: ${i.message}`;
    });
    throw new ConfigError(`${origin} is invalid:\n${issues.join('\n')}`);
  }
  return parsed.data;
}

export function loadConfig(file?: string): Config {
  if (!file) return parseConfig({});
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new ConfigError(`cannot read config ${file}: ${(err as Error).message}`);
  }
  let doc: unknown;
  try {
    doc = parseYaml(text);
  } catch (err) {
    throw new ConfigError(`config ${file} is not valid YAML: ${(err as Error).message}`);
  }
  return parseConfig(doc, `config ${file}`);
}
