// Vulnerability findings as one ticket per image and severity band (the default), against the Jira and
// ServiceNow stand-ins on both state backends: an image with 3 critical and 2 high CVEs opens two tickets
// per desk, each listing its CVEs; fixing one critical rewrites the critical ticket; fixing both highs
// resolves the high one; an unchanged re-scan opens nothing; a regression reopens; a CVE re-rated moves to
// the other band's ticket. `vulnerabilityTickets: finding` keeps one ticket per finding.
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { evidenceHashOf, fingerprintOf, type Finding } from '../../core/finding.ts';
import { recordScan } from '../../core/lifecycle.ts';
import type { StateStore } from '../../core/state/store.ts';
import type { Publisher } from '../../publishers/publisher.ts';
import { type Backend, dynamoBackend, scan, sqliteBackend } from '../state/support.ts';
import { type Services, startServices } from './support/harness.ts';

const repository = '123456789012.dkr.ecr.eu-west-1.amazonaws.com/shop/api';
const digest = `sha256:${'4'.repeat(64)}`;
const image = { id: `oci://${repository}@${digest}`, account: '123456789012', region: 'eu-west-1', tags: {} };

/** An IMG-003 finding as the rule emits it (message, path and evidence of img_003_known_vulnerabilities.rego). */
function vuln(id: string, severity: 'critical' | 'high', pkg: string, installed: string, fixed: string): Finding {
  const path = `vulnerabilities/${id}/Debian:12/${pkg}`;
  const evidence = { id, aliases: [], package: { name: pkg, version: installed, ecosystem: 'Debian:12' }, installedVersion: installed, fixedVersion: fixed, fixAvailable: true, severity, threshold: 'high' };
  return {
    fingerprint: fingerprintOf(image.id, 'IMG-003', path),
    ruleId: 'IMG-003',
    title: 'Image has no fixable known vulnerabilities above the threshold',
    severity,
    frameworks: { 'nist-800-53-r5': ['RA-5', 'SI-2'] },
    unverified: [],
    remediation: 'Rebuild the image with the fixed package versions.',
    message: `${id} (${severity}) in ${pkg} ${installed}: fixed in ${fixed}`,
    path,
    evidence,
    evidenceHash: evidenceHashOf(evidence),
    assetId: image.id,
    assetKind: 'image',
    provider: 'aws',
    account: image.account,
    region: image.region,
  };
}

// Debian bookworm advisories: DSA-5523-1 (curl), DSA-5770-1 (expat), DSA-5514-1 (glibc), DSA-5724-1 (openssh).
const curl = vuln('CVE-2023-38545', 'critical', 'curl', '7.88.1-10+deb12u1', '7.88.1-10+deb12u4');
const expat1 = vuln('CVE-2024-45491', 'critical', 'libexpat1', '2.5.0-1', '2.5.0-1+deb12u1');
const expat2 = vuln('CVE-2024-45492', 'critical', 'libexpat1', '2.5.0-1', '2.5.0-1+deb12u1');
const glibc = vuln('CVE-2023-4911', 'high', 'libc6', '2.36-9+deb12u1', '2.36-9+deb12u3');
const ssh = vuln('CVE-2024-6387', 'high', 'openssh-client', '1:9.2p1-2+deb12u2', '1:9.2p1-2+deb12u3');
const all = [curl, expat1, expat2, glibc, ssh];

describe.each([sqliteBackend(), dynamoBackend()])('tickets per image and severity band on $name', (backend: Backend) => {
  let store: StateStore;
  let svc: Services;
  let desks: Publisher[];
  beforeEach(async () => {
    store = await backend.open();
    svc = await startServices({ jiraConfig: { searchLagMs: 5_000 } });
    desks = svc.publishers.filter((p) => p.name === 'jira' || p.name === 'servicenow');
  });
  afterEach(async () => {
    await store.close();
    await svc.close();
  });
  afterAll(() => backend.teardown());

  const record = (list: Finding[]) => recordScan(store, scan(list, { asset: image, assetId: image.id }), { targets: ['jira', 'servicenow'], clock: svc.clock });
  const drain = () => svc.drain(store, {}, desks);
  const jiraIssues = () => svc.jira.issues();
  const snRows = () => svc.servicenow.rows();
  const text = (doc: unknown) => JSON.stringify(doc);
  const jiraFor = (band: string) => {
    const found = jiraIssues().filter((i) => i.fields.summary === `[posture] ${band} vulnerabilities in ${repository}`);
    expect(found).toHaveLength(1);
    return found[0]!;
  };
  const snFor = (band: string) => {
    const found = snRows().filter((r) => r.short_description === `[posture] ${band} vulnerabilities in ${repository}`);
    expect(found).toHaveLength(1);
    return found[0]!;
  };

  it('3 critical + 2 high: two tickets per desk; one fix updates, the last fix resolves, a re-scan duplicates nothing, a regression reopens', async () => {
    await record(all);
    expect(await drain()).toMatchObject({ created: 4, updated: 6, parked: 0, outbox: { pending: 0, parked: 0 } });
    expect(jiraIssues()).toHaveLength(2);
    expect(snRows()).toHaveLength(2);
    const critical = jiraFor('critical');
    const high = jiraFor('high');
    for (const cve of ['CVE-2023-38545', 'CVE-2024-45491', 'CVE-2024-45492']) {
      expect(text(critical.fields.description)).toContain(cve);
      expect(snFor('critical').description).toContain(cve);
    }
    for (const cve of ['CVE-2023-4911', 'CVE-2024-6387']) {
      expect(text(high.fields.description)).toContain(cve);
      expect(text(critical.fields.description)).not.toContain(cve);
    }
    expect(critical.fields.priority).toEqual({ name: 'Highest' });
    expect(snFor('critical')).toMatchObject({ urgency: '1', impact: '1' });
    expect(snFor('high')).toMatchObject({ urgency: '2', impact: '1' });
    for (const f of [curl, expat1, expat2]) expect((await store.getRecord(f.fingerprint))?.tickets.jira).toBe(critical.key);

    // One critical fixed: the critical ticket no longer lists it and says so; the high one is untouched.
    const highComments = high.comments.length;
    await record([expat1, expat2, glibc, ssh]);
    expect(await drain()).toMatchObject({ created: 0, updated: 2, resolved: 0 });
    expect(text(critical.fields.description)).not.toContain('CVE-2023-38545');
    expect(text(critical.fields.description)).toContain('CVE-2024-45491');
    expect(text(critical.comments.at(-1))).toMatch(/No longer open here: CVE-2023-38545.*2 vulnerability findings of this ticket remain open/);
    expect(snFor('critical').description).not.toContain('CVE-2023-38545');
    expect(svc.jira.statusOf(critical)).toBe('To Do');
    expect(high.comments).toHaveLength(highComments);

    // Both highs fixed: the high ticket is resolved in both desks; the critical one stays open.
    await record([expat1, expat2]);
    expect(await drain()).toMatchObject({ created: 0, resolved: 2, updated: 2 });
    expect(svc.jira.statusOf(high)).toBe('Done');
    expect(snFor('high')).toMatchObject({ state: '6', active: 'false' });
    expect(svc.jira.statusOf(critical)).toBe('To Do');

    // The same findings again (a new scan of an unchanged image): nothing is created or changed.
    await record([expat1, expat2]);
    expect(await drain()).toMatchObject({ created: 0, updated: 0, resolved: 0, reopened: 0 });
    expect(jiraIssues()).toHaveLength(2);
    expect(snRows()).toHaveLength(2);

    // A high comes back: the same high ticket reopens, listing it; still two tickets per desk.
    await record([expat1, expat2, glibc]);
    expect(await drain()).toMatchObject({ created: 0, reopened: 2 });
    expect(svc.jira.statusOf(high)).toBe('To Do');
    expect(text(high.fields.description)).toContain('CVE-2023-4911');
    expect(text(high.fields.description)).not.toContain('CVE-2024-6387');
    expect(snFor('high').state).toBe('2');
    expect(jiraIssues()).toHaveLength(2);
    expect(snRows()).toHaveLength(2);
  });

  it('a CVE re-rated from high to critical leaves the high ticket (resolving it when it was the last) and joins the critical one', async () => {
    await record([curl, glibc]);
    await drain();
    const rerated = vuln('CVE-2023-4911', 'critical', 'libc6', '2.36-9+deb12u1', '2.36-9+deb12u3');
    expect(rerated.fingerprint).toBe(glibc.fingerprint);
    await record([curl, rerated]);
    await drain();
    expect(svc.jira.statusOf(jiraFor('high'))).toBe('Done');
    expect(text(jiraFor('critical').fields.description)).toContain('CVE-2023-4911');
    expect(snFor('high').state).toBe('6');
    expect(snFor('critical').description).toContain('CVE-2023-4911');
    expect(jiraIssues()).toHaveLength(2);
  });
});

describe('vulnerabilityTickets: finding', () => {
  const backend = sqliteBackend();
  afterAll(() => backend.teardown());

  it('keeps one ticket per vulnerability finding when configured', async () => {
    const store = await backend.open();
    const svc = await startServices({ jiraConfig: { vulnerabilityTickets: 'finding' } });
    try {
      const jira = svc.publishers.filter((p) => p.name === 'jira');
      await recordScan(store, scan(all, { asset: image, assetId: image.id }), { targets: ['jira'], clock: svc.clock });
      expect(await svc.drain(store, {}, jira)).toMatchObject({ created: 5, parked: 0 });
      expect(svc.jira.issues()).toHaveLength(5);
    } finally {
      await store.close();
      await svc.close();
    }
  });
});
