// `publish:` in posture.yaml. Secrets are never inline: each is a reference to an environment
// variable, a file, or a Secrets Manager secret (resolved by publishers/from-config.ts).
import { z } from 'zod';

export const SecretRef = z.union([
  z.object({ env: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/) }).strict(),
  z.object({ file: z.string().min(1) }).strict(),
  z.object({ secretArn: z.string().startsWith('arn:'), key: z.string().min(1).optional() }).strict(),
]);
export type SecretRef = z.infer<typeof SecretRef>;

/** Vulnerability findings (IMG-003, REG-002): one ticket per image and severity band listing them (publishers/vuln-tickets.ts), or one per finding. */
export const VulnerabilityTickets = z.enum(['image-severity', 'finding']);

const severityMap = <T extends z.ZodType>(value: T, defaults: Record<'info' | 'low' | 'medium' | 'high' | 'critical', z.infer<T>>) =>
  z.object({ info: value, low: value, medium: value, high: value, critical: value }).strict().default(defaults);

/**
 * Publisher endpoints receive a token or a password with every request: https only. Plain http is accepted
 * for a loopback address alone, and only with `publish.allowLoopbackHttpForTests` (tests against local
 * stand-ins); PublishConfig checks that, so the error names the key.
 */
const HttpsUrl = z.url({ protocol: /^https?$/ });
const loopbackHosts = new Set(['127.0.0.1', '[::1]', 'localhost']);

export const JiraConfig = z
  .object({
    baseUrl: HttpsUrl,
    email: z.string().min(1),
    apiToken: SecretRef,
    project: z.string().regex(/^[A-Z][A-Z0-9_]*$/, 'a Jira project key such as SEC'),
    issueType: z.string().min(1).default('Bug'),
    priorities: severityMap(z.string().min(1), { info: 'Lowest', low: 'Low', medium: 'Medium', high: 'High', critical: 'Highest' }),
    components: z.array(z.string().min(1)).default([]),
    labels: z.array(z.string().regex(/^\S+$/, 'labels cannot contain spaces')).default([]),
    /** customfield_NNNNN → value, sent as is (e.g. `{ value: "Security" }` for a select list). */
    customFields: z.record(z.string().regex(/^customfield_\d+$/), z.unknown()).default({}),
    /** Workflow transition names (ids differ per workflow, so we look them up by name). */
    doneTransition: z.string().min(1).default('Done'),
    reopenTransition: z.string().min(1).default('Reopen'),
    /** Resolution to set on the done transition, when the workflow screen asks for one. */
    resolution: z.string().min(1).optional(),
    /** `finding`: one issue per finding. `rule-asset-group`: one issue per rule within each group (see groupBy). */
    grouping: z.enum(['finding', 'rule-asset-group']).default('finding'),
    /** What makes a group: the cloud account, the account and region, or the asset itself. */
    groupBy: z.enum(['account', 'account-region', 'asset']).default('account'),
    /** How long a new issue may stay missing from search; a create whose answer was lost waits this long before creating again. */
    searchLagMs: z.number().int().min(0).max(600_000).default(30_000),
    /** Vulnerability findings (IMG-003, REG-002): one issue per image and severity band listing them, or one per finding. */
    vulnerabilityTickets: VulnerabilityTickets.default('image-severity'),
  })
  .strict();
export type JiraConfig = z.infer<typeof JiraConfig>;

export const ServiceNowConfig = z
  .object({
    instanceUrl: HttpsUrl,
    table: z.enum(['incident', 'sn_grc_issue']).default('incident'),
    auth: z.union([
      z.object({ basic: z.object({ username: z.string().min(1), password: SecretRef }).strict() }).strict(),
      z.object({ oauth: z.object({ clientId: z.string().min(1), clientSecret: SecretRef }).strict() }).strict(),
    ]),
    /** `state` / `close_code` choices vary per instance: check sys_choice and set these. */
    resolve: z
      .object({ state: z.string().min(1).default('6'), closeCode: z.string().min(1).default('Solution provided') })
      .strict()
      .prefault({}),
    reopenState: z.string().min(1).default('2'),
    urgency: severityMap(z.enum(['1', '2', '3']), { info: '3', low: '3', medium: '2', high: '2', critical: '1' }),
    impact: severityMap(z.enum(['1', '2', '3']), { info: '3', low: '3', medium: '2', high: '1', critical: '1' }),
    /** Extra columns set on create (assignment_group, category, …). */
    fields: z.record(z.string().regex(/^[a-z][a-z0-9_]*$/), z.string()).default({}),
    /** Vulnerability findings (IMG-003, REG-002): one incident per image and severity band listing them, or one per finding. */
    vulnerabilityTickets: VulnerabilityTickets.default('image-severity'),
  })
  .strict();
export type ServiceNowConfig = z.infer<typeof ServiceNowConfig>;

export const WebhookConfig = z
  .object({
    url: HttpsUrl,
    secret: SecretRef,
    /** `finding`: our own JSON; `ocsf`: OCSF Compliance Finding (class 2003). */
    format: z.enum(['finding', 'ocsf']).default('finding'),
  })
  .strict();
export type WebhookConfig = z.infer<typeof WebhookConfig>;

export const SecurityHubConfig = z
  .object({
    region: z.string().min(1),
    /** The account that imports (AwsAccountId); defaults from the product ARN or the finding. */
    accountId: z.string().regex(/^\d{12}$/),
    productArn: z.string().startsWith('arn:').optional(),
  })
  .strict();
export type SecurityHubConfig = z.infer<typeof SecurityHubConfig>;

export const PublishConfig = z
  .object({
    jira: JiraConfig.optional(),
    servicenow: ServiceNowConfig.optional(),
    webhook: WebhookConfig.optional(),
    securityhub: SecurityHubConfig.optional(),
    /** Test-only: lets publisher URLs use plain http to a loopback address (local stand-ins). Never in production. */
    allowLoopbackHttpForTests: z.boolean().default(false),
  })
  .strict()
  .superRefine((publish, ctx) => {
    const urls: [string, string, string | undefined][] = [
      ['jira', 'baseUrl', publish.jira?.baseUrl],
      ['servicenow', 'instanceUrl', publish.servicenow?.instanceUrl],
      ['webhook', 'url', publish.webhook?.url],
    ];
    for (const [section, key, value] of urls) {
      if (!value) continue;
      const url = new URL(value);
      if (url.protocol === 'https:') continue;
      if (publish.allowLoopbackHttpForTests && loopbackHosts.has(url.hostname)) continue;
      ctx.addIssue({
        code: 'custom',
        path: [section, key],
        message: loopbackHosts.has(url.hostname)
          ? 'must use https; plain http to a loopback address is allowed only with publish.allowLoopbackHttpForTests: true (tests)'
          : 'must use https: credentials are sent with every request',
      });
    }
  })
  .default({ allowLoopbackHttpForTests: false });
export type PublishConfig = z.infer<typeof PublishConfig>;

/** Outbox target names for the configured publishers, in a fixed order. */
export function publishTargets(config: PublishConfig): string[] {
  return (['jira', 'servicenow', 'webhook', 'securityhub'] as const).filter((k) => config[k] !== undefined);
}
