// Reads Prowler's own check catalog (the pinned PyPI release in .tools/prowler, installed by
// scripts/peers/prowler-setup.sh) and writes the container checks to docs/coverage/prowler-checks.json,
// the snapshot docs/coverage.md is generated from. Only the coverage tooling runs this, never `npm test`.
// Usage: npx tsx scripts/coverage/prowler-checks.ts
import { execFileSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { repoRoot } from '../../policies/layout.ts';
import { ProwlerCheck, prowlerSnapshotFile, selectContainerChecks } from './prowler-selection.ts';

const python = path.join(repoRoot, '.tools', 'prowler', 'bin', 'python');

// Prowler's loader for check metadata (the same one `prowler <provider> --list-checks` uses).
const lister = `
import json, importlib.metadata
from prowler.lib.check.models import CheckMetadata
out = []
for provider in ("aws", "azure", "gcp"):
    for check_id, meta in CheckMetadata.get_bulk(provider).items():
        out.append({"id": check_id, "provider": provider, "service": meta.ServiceName, "title": meta.CheckTitle, "severity": str(getattr(meta.Severity, "value", meta.Severity))})
print(json.dumps({"version": importlib.metadata.version("prowler"), "checks": out}))
`;

const Listing = z.object({ version: z.string(), checks: z.array(ProwlerCheck) });

function main(): void {
  if (!existsSync(python)) throw new Error(`${python} is missing: run \`bash scripts/peers/prowler-setup.sh\` first`);
  const raw = execFileSync(python, ['-c', lister], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, stdio: ['ignore', 'pipe', 'pipe'] });
  const listing = Listing.parse(JSON.parse(raw));
  const checks = selectContainerChecks(listing.checks);
  const snapshot = { prowlerVersion: listing.version, checks };
  writeFileSync(prowlerSnapshotFile, `${JSON.stringify(snapshot, null, 2)}\n`);
  console.log(`prowler ${listing.version}: ${checks.length} container checks of ${listing.checks.length} (aws, azure, gcp) → ${path.relative(repoRoot, prowlerSnapshotFile)}`);
}

main();
