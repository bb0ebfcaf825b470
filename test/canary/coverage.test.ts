/**
 * Coverage marks (DESIGN §8): each protocol's scenarios really drive the paths they exist for.
 * A seed sweep that passes proves little if no leader ever stepped down, no snapshot was ever
 * installed or no torn tail was ever recovered; each protocol declares, in its definition, the
 * marks each of its scenario classes must hit within its first seeds, and this holds it to that.
 */
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, test } from 'vitest';
import { PROTOCOLS } from '../../src/protocols/registry.js';
import { runSeed } from '../../src/run/run-seed.js';
import { loadScenario } from '../../src/runner/load-scenario.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

const COVERAGE = PROTOCOLS.flatMap((p) =>
  (p.coverage ?? []).map((c) => ({ ...c, protocol: p.name })),
);

test('the protocols that replicate declare coverage', () => {
  expect(new Set(COVERAGE.map((c) => c.protocol))).toEqual(
    new Set([
      'primary-backup',
      'raft',
      'paxos',
      'multi-paxos',
      'crdt',
      'dynamo',
      'kv-store',
      'two-phase-commit',
      'saga',
      'lock-service',
      'cluster',
    ]),
  );
});

test.each(COVERAGE)('$protocol: $scenario hits its marks in its first $seeds seeds', async (c) => {
  const { scenario } = await loadScenario(join(ROOT, c.scenario));
  expect(scenario.protocol.name).toBe(c.protocol);
  const seen = new Map<string, number>();
  // Seeds in order until every mark has been hit: a later seed cannot unsee one.
  const missing = () => c.marks.some((m) => !seen.has(m));
  for (let seed = 1; seed <= c.seeds && missing(); seed++) {
    for (const [name, n] of Object.entries(runSeed(scenario, seed).result.stats.marks)) {
      seen.set(name, (seen.get(name) ?? 0) + n);
    }
  }
  expect(
    c.marks.filter((m) => !seen.has(m)),
    `marks seen: ${[...seen.keys()].join(', ')}`,
  ).toEqual([]);
});
