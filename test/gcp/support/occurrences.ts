// A grafeas.v1.Occurrence of kind VULNERABILITY as Artifact Analysis writes one for an image (REST JSON names):
// the goog-vulnz note of the CVE, one package issue with the affected and fixed versions split as Grafeas
// splits them (name, revision, epoch), the fixed version of kind MAXIMUM when no fix is released.
type Version = [name: string, revision: string, epoch?: number];

export function vulnerabilityOccurrence(
  resourceUri: string,
  cve: string,
  o: { severity: string; effectiveSeverity: string; pkg: string; affected: Version; fixed: Version | null },
): Record<string, unknown> {
  const version = ([name, revision, epoch]: Version) => ({ name, revision, epoch: epoch ?? 0, kind: 'NORMAL', inclusive: false });
  return {
    name: `projects/shop-prod-123/occurrences/${cve.toLowerCase()}-${o.pkg}`,
    resourceUri,
    noteName: `projects/goog-vulnz/notes/${cve}`,
    kind: 'VULNERABILITY',
    vulnerability: {
      type: 'OS',
      severity: o.severity,
      effectiveSeverity: o.effectiveSeverity,
      shortDescription: cve,
      fixAvailable: o.fixed !== null,
      relatedUrls: [{ url: `https://security-tracker.debian.org/tracker/${cve}`, label: 'More Info' }],
      packageIssue: [
        {
          affectedCpeUri: 'cpe:/o:debian:debian_linux:12',
          affectedPackage: o.pkg,
          affectedVersion: version(o.affected),
          fixedCpeUri: 'cpe:/o:debian:debian_linux:12',
          fixedPackage: o.pkg,
          fixedVersion: o.fixed ? version(o.fixed) : { kind: 'MAXIMUM' },
          fixAvailable: o.fixed !== null,
          packageType: 'OS',
          effectiveSeverity: o.effectiveSeverity,
        },
      ],
    },
  };
}
