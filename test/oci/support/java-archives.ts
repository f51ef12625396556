// The Java fixture set (a jar, a WAR holding jars, an EAR holding that WAR) and what its pom.properties files
// say, for the analyzer tests that read it from memory and from a temporary file alike.
import { readFile } from 'node:fs/promises';
import { expect } from 'vitest';
import { fixture } from './inventory-fixtures.ts';
import type { LayerEntry } from './layers.ts';

/** The artifacts the WAR (and so the EAR) bundles, as their pom.properties name them. */
const bundled = ['org.apache.commons:commons-lang3@3.11', 'org.apache.commons:commons-text@1.9'];

export async function javaArchiveEntries(): Promise<LayerEntry[]> {
  return [
    { path: 'opt/lib/commons-text-1.9.jar', content: await readFile(fixture('java/commons-text-1.9.jar')) },
    { path: 'opt/app.war', content: await readFile(fixture('java/app.war')) },
    { path: 'opt/app.ear', content: await readFile(fixture('java/app.ear')) },
  ];
}

/** Each archive of javaArchiveEntries() yields the artifacts it holds, nested ones under their full path. */
export function expectJavaArchivePackages(packages: readonly { name: string; version: string; path: string }[]): void {
  const at = (prefix: string): string[] => [...new Set(packages.filter((p) => p.path.startsWith(prefix)).map((p) => `${p.name}@${p.version}`))].sort();
  expect(at('/opt/lib/')).toEqual(['org.apache.commons:commons-text@1.9']);
  expect(at('/opt/app.war')).toEqual(bundled);
  expect(at('/opt/app.ear')).toEqual(bundled);
  expect(packages.map((p) => p.path)).toContain('/opt/app.ear!/app.war!/WEB-INF/lib/commons-text-1.9.jar');
}
