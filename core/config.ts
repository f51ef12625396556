// posture.yaml: everything a team tunes (residency classes, trusted registries, thresholds).
// Validated here, then handed to Rego as `data.config`; rules never hard-code these values.
import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { Severity } from '../policies/catalog.ts';
import { Limits } from '../providers/oci/limits.ts';
import { providerIds, providerSettingsShape, registryProviderIds, type SettingsMap } from '../providers/registry.ts';
import { PublishConfig } from '../publishers/config.ts';
import { ConfigError } from './config-error.ts';
import { ExceptionsConfig, ModesConfig } from './exceptions.ts';
import { SupplyChainConfig } from '../supply-chain/config.ts';
import { AdmissionConfig } from '../admission/config.ts';

const Jurisdictions = z.array(z.string().min(1));

const VulnSeverityName = z.enum(['critical', 'high', 'medium', 'low']);

/** IMG-003 / REG-002 thresholds (Rego data.config.image.vulnerabilities). */
export const ImageVulnerabilityPolicy = z
  .object({
    /** IMG-003 fails on a vulnerability at or above this severity that has a fix; `off` disables it. */
    failOn: z.union([VulnSeverityName, z.literal('off')]).default('high'),
    /** Only vulnerabilities with a fixed version count for failOn (what a team can act on now). */
    fixableOnly: z.boolean().default(true),
    /** A fixable critical published longer ago than this fails whatever failOn says (null: no age limit). */
    maxFixableCriticalAgeDays: z.number().int().min(0).nullable().default(30),
    /** REG-002: the registry's own scanner reports findings at or above this severity. */
    nativeFailOn: z.union([VulnSeverityName, z.literal('off')]).default('high'),
  })
  .strict()
  .prefault({});

/** Where the OSV database lives and what `posture db update` brings into it. */
export const VulnerabilitiesConfig = z
  .object({
    /** SQLite file (default: $XDG_CACHE_HOME or ~/.cache, then posture/vulndb.sqlite). */
    db: z.string().min(1).optional(),
    /** Base URL of the OSV archives (`<base>/<ecosystem>/all.zip`): the public bucket or a mirror. */
    osvBaseUrl: z.string().regex(/^https?:\/\/\S+$/, 'an http(s) URL').default('https://osv-vulnerabilities.storage.googleapis.com'),
    ecosystems: z
      .array(z.string().min(1))
      .default(['Debian', 'Ubuntu', 'Alpine', 'Red Hat', 'Rocky Linux', 'AlmaLinux', 'npm', 'PyPI', 'Go', 'Maven', 'RubyGems', 'crates.io']),
    /** Local directories or zips of OSV records (air-gapped sites), synced beside or instead of the archives. */
    paths: z.array(z.string().min(1)).default([]),
    /** OpenVEX / CycloneDX VEX documents whose statements suppress matches. */
    vex: z.array(z.string().min(1)).default([]),
  })
  .strict()
  .prefault({});
export type VulnerabilitiesConfig = z.infer<typeof VulnerabilitiesConfig>;

/** `host` or `*.suffix` (any host under it); lower case, no scheme, optional port. */
const RegistryHostPattern = z
  .string()
  .regex(/^(\*\.)?[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*(:\d{1,5})?$/, 'a registry host looks like myacr.azurecr.io, host:port or *.azurecr.io');

export const RegistrySettings = z
  .object({
    host: RegistryHostPattern,
    tokenRealms: z.array(z.url({ protocol: /^https?$/ })).default([]),
  })
  .strict();
export type RegistrySettings = z.infer<typeof RegistrySettings>;

export const ImageScanSettings = z
  .object({
    /** Overall deadlines in seconds; the transport's idle timeouts alone miss a server that drips. */
    deadlines: z
      .object({
        manifestSeconds: z.number().int().positive().default(60),
        blobSeconds: z.number().int().positive().default(900),
        imageSeconds: z.number().int().positive().default(1800),
      })
      .strict()
      .prefault({}),
    /** Overrides of the image analyzer's caps (providers/oci/limits.ts names and defaults them). */
    limits: z.partialRecord(Limits.keyof(), z.number().int().positive()).default({}),
    /** Distinct images one run (a CLI scan, a worker job) analyzes; more are reported as not analyzed. */
    maxImagesPerRun: z.number().int().positive().default(1000),
  })
  .strict();
export type ImageScanSettings = z.infer<typeof ImageScanSettings>;

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
          .record(z.string().min(1), z.object({ provider: z.enum(registryProviderIds), location: z.string().min(1) }).strict())
          .default({}),
      })
      .strict()
      .prefault({}),
    image: z
      .object({
        trustedRegistries: z.array(z.string().min(1)).default([]),
        maxAgeDays: z.number().int().positive().default(90),
        setuidAllowList: z.array(z.string()).default(['/usr/bin/passwd', '/bin/su', '/usr/bin/su']),
        vulnerabilities: ImageVulnerabilityPolicy,
        /**
         * Severity of IMG-014 (analysis incomplete, for any reason: an unreadable or unsupported layer, a
         * budget or deadline hit). High by default so that an image nobody could read fails `--fail-on high`.
         */
        incompleteAnalysisSeverity: Severity.default('high'),
      })
      .strict()
      .prefault({}),
    /** How images are pulled and analyzed: budgets and deadlines against hostile registries and layers. */
    imageScan: ImageScanSettings.prefault({}),
    /**
     * Registries posture knows. Webhook events naming any other host are refused (400, nothing queued);
     * `tokenRealms` are the token services, besides the registry's own origin, that may receive its credentials.
     */
    registries: z.array(RegistrySettings).default([]),
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
    vulnerabilities: VulnerabilitiesConfig,
    /** Signature policies per registry / repository pattern (IMG-007). */
    supplyChain: SupplyChainConfig,
    /** `posture export admission`: graduated enforcement per rule and framework, and the namespaces admission leaves alone. */
    admission: AdmissionConfig,
    /** One section per registered provider (`aws:`, `azure:`, `gcp:` …), each declared by its provider. */
    ...providerSettingsShape,
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
  const { residency, image, ecs } = config;
  // Of the Kubernetes section only the rules' thresholds are policy; the rest says how clusters are read.
  const { minVersion, systemNamespaces } = config.kubernetes;
  return { residency, image, ecs, kubernetes: { minVersion, systemNamespaces } };
}

/** The provider sections of a parsed config, keyed by provider id (what the orchestration reads). */
export function providerSettings(config: Config): SettingsMap {
  return Object.fromEntries(providerIds.map((id) => [id, config[id]])) as SettingsMap;
}

export { ConfigError } from './config-error.ts';

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
