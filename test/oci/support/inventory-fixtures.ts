// Where scripts/setup.d/50-inventory-fixtures.sh left the real package databases, binaries and archives.
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';

export const inventoryFixtures = resolve(import.meta.dirname, '../../../.tools/fixtures/inventory-1');

export function fixture(relative: string): string {
  if (!existsSync(`${inventoryFixtures}/.done`)) throw new Error(`inventory fixtures missing at ${inventoryFixtures}: run bash scripts/setup.sh --test`);
  return `${inventoryFixtures}/${relative}`;
}
