// How long deliveries wait after an outage ends: Jira (the loopback stand-in) is down for N minutes while
// a drain runs with the production retry settings (2 s backoff doubling to 15 min, probes every 15 s);
// the table gives the delay from the end of the outage to the last delivery, and what the outage cost in
// requests to the down service. Time is the drain's own clock (virtual), so a 30-minute outage runs in
// seconds; the floor is 0 (everything delivered the instant the service is back).
//   npm run bench:recovery
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Table from 'cli-table3';
import { recordScan } from '../../core/lifecycle.ts';
import { SqliteStateStore } from '../../core/state/sqlite.ts';
import { startServices } from '../../test/publishers/support/harness.ts';
import { finding, scan } from '../../test/state/support.ts';

const outages = [1, 5, 10, 30];
const findings = 20;
const dir = mkdtempSync(path.join(tmpdir(), 'posture-bench-recovery-'));
const table = new Table({ head: ['outage (min)', 'intents', 'delivered after the outage (s)', 'requests during the outage', 'parked'] });
try {
  for (const minutes of outages) {
    const svc = await startServices({ jira: { searchLagMs: 0 } });
    const store = new SqliteStateStore(path.join(dir, `state-${minutes}.db`));
    try {
      const list = Array.from({ length: findings }, (_, i) => finding('EKS-001', `nodegroups/ng-${i}/public`));
      await recordScan(store, scan(list), { targets: ['jira'], clock: svc.clock });
      const ends = svc.clock.now() + minutes * 60_000;
      svc.jira.faults.downUntil = ends;
      const jira = svc.publishers.find((p) => p.name === 'jira')!;
      const summary = await svc.drain(store, { backoff: { baseMs: 2_000, maxMs: 15 * 60_000 }, maxAttempts: 50, maxWaitMs: 2 * 60 * 60_000, probeMs: 15_000 }, [jira]);
      table.push([minutes, findings, ((svc.clock.now() - ends) / 1000).toFixed(1), svc.jira.faults.injected, summary.outbox.parked]);
    } finally {
      await store.close();
      await svc.close();
    }
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
process.stdout.write(`${table.toString()}\n`);
