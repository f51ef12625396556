// One publishing setup for the scenario tests: the three HTTP stand-ins, publishers built from
// config through publishersFromConfig (env-var secrets), a manual clock, and captured logs.
import { Writable } from 'node:stream';
import { createLogger } from '../../../core/log.ts';
import { ManualClock } from '../../../core/state/clock.ts';
import type { StateStore } from '../../../core/state/store.ts';
import { type DrainOptions, drainOutbox } from '../../../publishers/drain.ts';
import { PublishConfig, publishTargets } from '../../../publishers/config.ts';
import { publishersFromConfig } from '../../../publishers/from-config.ts';
import type { Publisher } from '../../../publishers/publisher.ts';
import { type JiraStandinOptions, startJira } from '../../standins/jira.ts';
import { type ServiceNowStandinOptions, startServiceNow } from '../../standins/servicenow.ts';
import { startWebhookReceiver } from '../../standins/webhook-receiver.ts';
import { seeded } from './standin-http.ts';

export function captureLogs() {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _enc, done) {
      lines.push(chunk.toString('utf8'));
      done();
    },
  });
  return { logger: createLogger({ level: 'debug', destination }), text: () => lines.join('') };
}

export async function startServices(
  options: { jira?: JiraStandinOptions; servicenow?: ServiceNowStandinOptions; clock?: ManualClock; /** Extra publish.jira keys. */ jiraConfig?: Record<string, unknown> } = {},
) {
  const clock = options.clock ?? new ManualClock();
  const jira = await startJira({ clock, ...options.jira });
  const servicenow = await startServiceNow({ clock, ...options.servicenow });
  const webhook = await startWebhookReceiver({ clock });
  const env = { JIRA_TOKEN: jira.apiToken, SN_PASSWORD: servicenow.password, WEBHOOK_SECRET: webhook.secret };
  const publish = PublishConfig.parse({
    allowLoopbackHttpForTests: true,
    jira: {
      baseUrl: jira.url,
      email: jira.email,
      apiToken: { env: 'JIRA_TOKEN' },
      project: 'SEC',
      components: ['platform'],
      customFields: { customfield_10010: { value: 'Security' } },
      ...options.jiraConfig,
    },
    servicenow: { instanceUrl: servicenow.url, auth: { basic: { username: servicenow.username, password: { env: 'SN_PASSWORD' } } } },
    webhook: { url: webhook.url, secret: { env: 'WEBHOOK_SECRET' } },
  });
  const logs = captureLogs();
  /** Another set of publisher instances, as a second process would build them. */
  const makePublishers = (): Promise<Publisher[]> => publishersFromConfig({ publish }, env, { now: () => clock.now(), timeoutMs: 10_000 });
  const publishers = await makePublishers();
  const random = seeded(7);
  const drainOptions = (extra: DrainOptions = {}): DrainOptions => ({
    clock,
    logger: logs.logger,
    random,
    backoff: { baseMs: 1_000, maxMs: 60_000 },
    maxWaitMs: 6 * 3_600_000,
    maxAttempts: 10,
    ...extra,
  });
  return {
    clock,
    jira,
    servicenow,
    webhook,
    env,
    publish,
    publishers,
    makePublishers,
    targets: publishTargets(publish),
    logs,
    drain: (store: StateStore, extra: DrainOptions = {}, only: Publisher[] = publishers) => drainOutbox(store, only, drainOptions(extra)),
    close: async () => {
      await Promise.all([jira.close(), servicenow.close(), webhook.close()]);
    },
  };
}
export type Services = Awaited<ReturnType<typeof startServices>>;
