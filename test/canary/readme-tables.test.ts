/**
 * The README's named-bug tables are the protocols' canary declarations, generated: every
 * protocol with named bugs has its table, and it is up to date (`npx tsx scripts/readme-tables.ts`
 * rewrites them). A canary whose budget or seeds change changes the README in the same commit.
 */
import { readFileSync } from 'node:fs';
import { expect, test } from 'vitest';
import { withBugTables } from '../../scripts/readme-tables.js';
import { PROTOCOLS } from '../../src/protocols/registry.js';

const README = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');

test('every protocol with named bugs has a generated table in the README', () => {
  for (const p of PROTOCOLS.filter((x) => x.bugs.length > 0)) {
    expect(README, p.name).toContain(`<!-- bugs:${p.name} -->`);
    expect(README, p.name).toContain(`<!-- /bugs:${p.name} -->`);
  }
});

test('the tables are what the definitions say (regenerate with npx tsx scripts/readme-tables.ts)', () => {
  expect(README).toBe(withBugTables(README));
});
