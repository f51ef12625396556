// Exceptions and modes as config data: validation errors name the key; selectors and expiry behave.
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../core/config.ts';
import { ExceptionSet, ModesConfig, modeFor } from '../../core/exceptions.ts';
import { asset, finding } from './support.ts';

describe('exceptions config', () => {
  it('accepts exceptions and modes in posture.yaml', () => {
    const config = parseConfig({
      exceptions: [{ rule: 'IMG-*', assets: { account: '1234*' }, owner: 'a@b.c', reason: 'base image pinned by vendor', expires: '2026-06-30' }],
      modes: { default: 'warn', frameworks: { 'pci-dss-4.0': 'ticket' } },
    });
    expect(config.exceptions[0]?.assets).toEqual({ account: '1234*' });
    expect(config.modes).toEqual({ default: 'warn', frameworks: { 'pci-dss-4.0': 'ticket' }, rules: {} });
  });

  it('names the bad key: a missing expiry, a date that is not a date, an unknown selector', () => {
    expect(() => parseConfig({ exceptions: [{ rule: 'X', owner: 'o', reason: 'r' }] })).toThrow(/exceptions\.0\.expires/);
    expect(() => parseConfig({ exceptions: [{ rule: 'X', owner: 'o', reason: 'r', expires: '2026-02-30x' }] })).toThrow(/exceptions\.0\.expires: expected a date YYYY-MM-DD/);
    expect(() => parseConfig({ exceptions: [{ rule: 'X', owner: 'o', reason: 'r', expires: '2026-01-01', assets: { cluster: 'x' } }] })).toThrow(/exceptions\.0\.assets/);
    expect(() => parseConfig({ modes: { rules: { 'EKS-001': 'page-me' } } })).toThrow(/modes\.rules\.EKS-001/);
  });

  it('refuses two exceptions with the same id', () => {
    const rule = { id: 'dup', rule: 'X', assets: {}, owner: 'o', reason: 'r', expires: '2026-01-01' };
    expect(() => new ExceptionSet([rule, rule])).toThrow('exception id "dup" is declared twice');
  });
});

describe('exception matching', () => {
  const now = new Date('2026-03-01T12:00:00Z');
  const base = { owner: 'sec', reason: 'accepted', expires: '2026-03-01' };

  it('matches rule globs and every selector key, with `*` inside one path segment and `**` across', () => {
    const set = new ExceptionSet(
      [
        { ...base, id: 'by-id', rule: 'EKS-*', assets: { id: 'aws://123456789012/*/eks/**' } },
        { ...base, id: 'too-narrow', rule: 'EKS-*', assets: { id: 'aws://123456789012/*' } },
        { ...base, id: 'by-tag', rule: 'IMG-001', assets: { region: 'eu-*', tags: { env: 'prod' } } },
      ],
      now,
    );
    expect(set.match(finding('EKS-001', 'x'), asset)?.exceptionId).toBe('by-id');
    expect(set.match(finding('IMG-001', 'x'), asset)?.exceptionId).toBe('by-tag');
    expect(set.match(finding('IMG-001', 'x'), { ...asset, tags: { env: 'dev' } })).toBeNull();
    expect(set.match(finding('ECS-001', 'x'), asset)).toBeNull();
    expect(set.report().unused.map((u) => u.id)).toEqual(['too-narrow']);
  });

  it('applies through the expiry day and not after it', () => {
    const rule = { ...base, id: 'e', rule: 'EKS-001', assets: {} };
    expect(new ExceptionSet([rule], new Date('2026-03-01T23:59:59Z')).match(finding('EKS-001', 'x'), asset)).not.toBeNull();
    const later = new ExceptionSet([rule], new Date('2026-03-02T00:00:00Z'));
    expect(later.match(finding('EKS-001', 'x'), asset)).toBeNull();
    expect(later.report()).toEqual({ expired: [{ id: 'e', owner: 'sec', expires: '2026-03-01' }], unused: [], used: [] });
  });
});

describe('modes', () => {
  const f = finding('EKS-001', 'x'); // frameworks cis-eks-1.8 and nist-800-53-r5
  it('a rule entry wins; otherwise the strictest framework entry; otherwise the default', () => {
    expect(modeFor(f, ModesConfig.parse({ rules: { 'EKS-001': 'audit' }, frameworks: { 'cis-eks-1.8': 'ticket' } }))).toBe('audit');
    expect(modeFor(f, ModesConfig.parse({ default: 'audit', frameworks: { 'cis-eks-1.8': 'warn', 'nist-800-53-r5': 'ticket' } }))).toBe('ticket');
    expect(modeFor(f, ModesConfig.parse({ default: 'warn', frameworks: { gdpr: 'ticket' } }))).toBe('warn');
    expect(modeFor(f, ModesConfig.parse({}))).toBe('ticket');
  });
});

describe('exceptions for one vulnerability', () => {
  const now = new Date('2026-03-01T12:00:00Z');
  const base = { owner: 'sec', reason: 'not reachable: the loader is never run setuid in this image', expires: '2026-03-31', assets: {} };
  // IMG-003 evidence as the rule writes it (CVE-2023-4911 in glibc, DSA-5514-1).
  const looney = finding('IMG-003', 'vulnerabilities/CVE-2023-4911/Debian:12/libc6', { id: 'CVE-2023-4911', aliases: ['CVE-2023-4911', 'DSA-5514-1'] });
  const other = finding('IMG-003', 'vulnerabilities/CVE-2023-5363/Debian:12/openssl', { id: 'CVE-2023-5363', aliases: ['CVE-2023-5363', 'DSA-5532-1'] });

  it('covers only findings about that vulnerability, by id or alias, case-insensitively', () => {
    const byCve = new ExceptionSet([{ ...base, id: 'cve', rule: 'IMG-003', vulnerability: 'CVE-2023-4911' }], now);
    expect(byCve.match(looney, asset)?.exceptionId).toBe('cve');
    expect(byCve.match(other, asset)).toBeNull();
    const byAdvisory = new ExceptionSet([{ ...base, id: 'dsa', rule: 'IMG-*', vulnerability: 'dsa-5514-*' }], now);
    expect(byAdvisory.match(looney, asset)?.exceptionId).toBe('dsa');
    expect(byAdvisory.match(other, asset)).toBeNull();
  });

  it('does not cover a finding that is about no vulnerability', () => {
    const set = new ExceptionSet([{ ...base, id: 'cve', rule: '*', vulnerability: 'CVE-*' }], now);
    expect(set.match(finding('IMG-001', 'config/user'), asset)).toBeNull();
  });

  it('is read from posture.yaml', () => {
    const config = parseConfig({ exceptions: [{ ...base, rule: 'IMG-003', vulnerability: 'CVE-2023-4911' }] });
    expect(config.exceptions[0]?.vulnerability).toBe('CVE-2023-4911');
  });
});
