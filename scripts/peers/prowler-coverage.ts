// Peer check of docs/coverage/prowler-mapping.yaml against a live Prowler install (never run by `npm test`):
// lists the checks Prowler ships for AWS, Azure and Google Cloud (id and service, through Prowler's own
// metadata loader), keeps the container checks the mapping's selection names, and reports every id the
// mapping lacks and every mapped id Prowler no longer has. Exit 1 when they differ.
// Usage: npm run peer:prowler-coverage   (installs the pinned Prowler into .tools/prowler first)
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { repoRoot } from '../../policies/layout.ts';
import { compareWithProwler, isContainerCheck, loadMapping } from '../coverage/prowler-mapping.ts';

const python = path.join(repoRoot, '.tools', 'prowler', 'bin', 'python');

// Prints {"version", "checks": [{provider, service, id}]}: ids and services only, nothing of Prowler's text.
const lister = `
import json, importlib.metadata
from prowler.lib.check.models import CheckMetadata
checks = []
for provider in ("aws", "azure", "gcp"):
    for check_id, meta in CheckMetadata.get_bulk(provider).items():
        checks.append({"provider": provider, "service": meta.ServiceName, "id": check_id})
print(json.dumps({"version": importlib.metadata.version("prowler"), "checks": checks}))
`;

const Listing = z.object({ version: z.string(), checks: z.array(z.object({ provider: z.string(), service: z.string(), id: z.string() })) });

function main(): number {
  if (!existsSync(python)) throw new Error(`${python} is missing: run \`bash scripts/peers/prowler-setup.sh\` first`);
  const raw = execFileSync(python, ['-c', lister], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, stdio: ['ignore', 'pipe', 'pipe'] });
  const listing = Listing.parse(JSON.parse(raw));
  const mapping = loadMapping();
  const container = listing.checks.filter((c) => isContainerCheck(mapping, c));
  const { missing, gone } = compareWithProwler(mapping, listing.checks);
  console.log(`prowler ${listing.version}: ${container.length} container checks of ${listing.checks.length} (aws, azure, gcp); the mapping was written against ${mapping.prowler}`);
  for (const id of missing) {
    const c = container.find((x) => x.id === id)!;
    console.log(`  missing from the mapping: ${c.provider}/${c.service} ${id}`);
  }
  for (const id of gone) console.log(`  in the mapping, not in Prowler ${listing.version}: ${id}`);
  if (!missing.length && !gone.length) console.log('  every container check is in docs/coverage/prowler-mapping.yaml, and nothing else is');
  return missing.length || gone.length ? 1 : 0;
}

process.exitCode = main();
