// Credentials posture finds in what it scans (an image's ENV or LABEL, a build step, an ECS container's
// or a Kubernetes pod's environment) are never stored in clear: not in a report of any format, not in the scan history, not
// in evidence bundles or the finding state. Right after evaluation, each value a finding flags is
// replaced, everywhere in the scan result (normalized fields, `raw`, finding messages and evidence), by
// a keyed hash: `[redacted:hmac-sha256:<16 hex>]`. The key makes the hash useless for guessing the
// value offline, and a new value gives a new hash, so drift and "updated" tickets still see a change.
import { createHmac, randomBytes } from 'node:crypto';
import type { Asset } from './asset.ts';
import { evidenceHashOf, type Finding } from './finding.ts';
import { mapStrings } from './redact.ts';

export class SecretHasher {
  constructor(private readonly key: Buffer) {
    if (key.length < 16) throw new Error('the redaction key must be at least 16 bytes');
  }

  /** A per-process key: values are still hidden, but hashes differ between runs. */
  static ephemeral(): SecretHasher {
    return new SecretHasher(randomBytes(32));
  }

  token(value: string): string {
    return `[redacted:hmac-sha256:${createHmac('sha256', this.key).update(value).digest('hex').slice(0, 16)}]`;
  }
}

/** Values shorter than this are replaced only where they were flagged, not wherever the string occurs. */
const minGlobal = 6;

type Resolver = (asset: Asset, finding: Finding) => string[];

const segment = (path: string, index: number): string | undefined => path.split('/')[index];

/**
 * Rules whose findings point at a stored value that is a credential, and where that value is. A rule
 * that flags values (a new environment check, say) registers here. A finding is matched by its rule id
 * or one of the rule's earlier ids (METADATA aliases), so renaming a rule cannot bring values back.
 * (NS-004, ConfigMap credentials, keeps only a redacted hint in the asset: nothing to replace.)
 */
const flaggedValues: Record<string, Resolver> = {
  'IMG-002': (asset, finding) => {
    if (asset.kind !== 'image') return [];
    const [, where, key] = finding.path.split('/');
    const config = asset.image.config;
    if (where === 'env') return config.env.filter((e) => e.name === key).map((e) => e.value);
    if (where === 'labels' && key !== undefined && config.labels[key] !== undefined) return [config.labels[key]];
    // A build step: the whole command, since a credential may sit anywhere in it.
    if (where === 'history' && key !== undefined) return [config.history[Number(key)]?.createdBy ?? ''];
    return [];
  },
  // ECS container environments and Kubernetes pod specs alike (formerly ECS-006).
  'WKL-006': (asset, finding) => {
    if (asset.kind !== 'workload') return [];
    const container = segment(finding.path, 1);
    const name = segment(finding.path, 3);
    return asset.workload.containers.filter((c) => c.name === container).flatMap((c) => c.env.filter((e) => e.name === name).map((e) => e.value));
  },
};

/** Returns the assets and findings with every flagged value replaced by its keyed hash. */
export function redactFoundSecrets(assets: readonly Asset[], findings: readonly Finding[], hasher: SecretHasher): { assets: Asset[]; findings: Finding[] } {
  const byAsset = new Map<string, Set<string>>();
  const assetById = new Map(assets.map((a) => [a.id, a]));
  for (const f of findings) {
    const resolve = [f.ruleId, ...(f.aliases ?? [])].map((id) => flaggedValues[id]).find((r) => r !== undefined);
    const asset = assetById.get(f.assetId);
    if (!resolve || !asset) continue;
    for (const v of resolve(asset, f)) {
      if (!v) continue;
      const set = byAsset.get(f.assetId) ?? new Set<string>();
      set.add(v);
      byAsset.set(f.assetId, set);
    }
  }
  if (byAsset.size === 0) return { assets: [...assets], findings: [...findings] };
  const replacerFor = (values: Set<string>): ((s: string) => string) => {
    // Longest first, so a value containing another is replaced whole.
    const ordered = [...values].sort((a, b) => b.length - a.length);
    return (s) => {
      let out = s;
      for (const v of ordered) {
        if (out === v) return hasher.token(v);
        if (v.length >= minGlobal) {
          out = out.replaceAll(v, hasher.token(v));
          // Inside a JSON text kept as a string (kubectl's last-applied-configuration annotation) the value is escaped.
          const escaped = JSON.stringify(v).slice(1, -1);
          if (escaped !== v) out = out.replaceAll(escaped, hasher.token(v));
        }
        // `NAME=value` (an image config's Env entry) holds a short value too.
        else if (out.endsWith(`=${v}`) && /^[A-Za-z_][A-Za-z0-9_]*=/.test(out)) out = `${out.slice(0, -v.length)}${hasher.token(v)}`;
      }
      return out;
    };
  };
  const redactedAssets = assets.map((a) => {
    const values = byAsset.get(a.id);
    return values ? mapStrings(a, replacerFor(values)) : a;
  });
  const redactedFindings = findings.map((f) => {
    const values = byAsset.get(f.assetId);
    if (!values) return f;
    const replace = replacerFor(values);
    const evidence = mapStrings(f.evidence, replace);
    return { ...f, message: replace(f.message), evidence, evidenceHash: evidenceHashOf(evidence) };
  });
  return { assets: redactedAssets, findings: redactedFindings };
}
