// WKL-016's trusted-registry entries as CEL regular expressions must accept exactly the images the posture
// rule accepts. The rule matches with OPA's glob.match; the expected verdicts here come from the real opa
// evaluating the rule's own matching (host exact, repository prefix, glob over host labels, glob over the path).
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { registryPattern } from '../../admission/parameters.ts';
import { toolsBin } from '../oci/support/registry-server.ts';

const run = promisify(execFile);

const entries = ['registry.example', 'ghcr.io/acme', '*.dkr.ecr.*.amazonaws.com', 'ghcr.io/acme/*', '**.example.org', 'quay.io/team-?/app', 'Mirror.Example:5000/'];
const names = [
  'registry.example/shop/app',
  'registry.example.evil.test/shop/app',
  'ghcr.io/acme/app',
  'ghcr.io/acme/team/app',
  'ghcr.io/acmeevil/app',
  '123456789012.dkr.ecr.eu-west-1.amazonaws.com/tools',
  'a.b.dkr.ecr.eu-west-1.amazonaws.com/tools',
  'localhost/x.dkr.ecr.y.amazonaws.com/tools',
  'deep.sub.example.org/app',
  'example.org/app',
  'quay.io/team-a/app',
  'quay.io/team-ab/app',
  'mirror.example:5000/library/nginx',
  'docker.io/library/nginx',
];

// The rule's allowed_by, verbatim in its logic, over {host, name} pairs.
const rego = `package t
import rego.v1
allowed_by(entry, ref) if entry == ref.host
allowed_by(entry, ref) if startswith(ref.name, concat("", [entry, "/"]))
allowed_by(entry, ref) if {
  contains(entry, "*")
  glob.match(entry, ["."], ref.host)
}
allowed_by(entry, ref) if {
  contains(entry, "*")
  contains(entry, "/")
  glob.match(entry, ["/"], ref.name)
}
verdicts[key] := {name | some name in input.names; allowed_by(lower(trim_right(trim_space(raw), "/")), {"host": split(name, "/")[0], "name": name})} if some key, raw in input.entries
`;

describe('trusted-registry entries as CEL regular expressions', () => {
  it('accept exactly the images OPA glob.match accepts for each entry', async () => {
    const { writeFile, mkdtemp } = await import('node:fs/promises');
    const { join } = await import('node:path');
    const { tmpdir } = await import('node:os');
    const dir = await mkdtemp(join(tmpdir(), 'posture-registry-globs-'));
    await writeFile(join(dir, 't.rego'), rego);
    await writeFile(join(dir, 'input.json'), JSON.stringify({ entries: Object.fromEntries(entries.map((e, i) => [String(i), e])), names }));
    const { stdout } = await run(join(toolsBin, 'opa'), ['eval', '-f', 'json', '-d', join(dir, 't.rego'), '-i', join(dir, 'input.json'), 'data.t.verdicts']);
    const opa = (JSON.parse(stdout) as { result: { expressions: { value: Record<string, string[]> }[] }[] }).result[0]!.expressions[0]!.value;
    entries.forEach((entry, i) => {
      const re = new RegExp(registryPattern(entry));
      expect({ entry, accepted: names.filter((n) => re.test(n)).sort() }).toEqual({ entry, accepted: [...(opa[String(i)] ?? [])].sort() });
    });
  });

  it('refuses glob classes, alternatives and escapes it cannot translate', () => {
    expect(() => registryPattern('[abc].example')).toThrow(/translates only \*, \*\* and \?/);
    expect(() => registryPattern('{a,b}.example')).toThrow();
  });
});
