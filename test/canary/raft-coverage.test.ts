/**
 * Coverage marks (DESIGN §8): the Raft scenarios really drive the paths they exist for. A seed
 * sweep that passes proves little if no leader ever stepped down, no snapshot was ever installed
 * or no torn tail was ever recovered; this pins that each path is hit in the first ten seeds.
 */
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, test } from 'vitest';
import { loadScenario } from '../../src/runner/load-scenario.js';
import { runSeed } from '../../src/run/run-seed.js';
import { MARKS } from '../../src/core/marks.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const SEEDS = 10;

const EXPECTED: Record<string, readonly string[]> = {
  'scenarios/raft-crash.yaml': [
    MARKS.suspect,
    MARKS.promoted,
    MARKS.caughtUp,
    'raft.check-quorum-step-down',
    'raft.conflict-truncated',
    'raft.snapshot-durable',
    'raft.snapshot-installed',
    'raft.torn-tail-truncated',
  ],
  'scenarios/raft-elections.yaml': [
    MARKS.promoted,
    'raft.conflict-truncated',
    'raft.torn-tail-truncated',
  ],
  'scenarios/raft-partition.yaml': [
    'raft.check-quorum-step-down',
    'raft.conflict-truncated',
    'raft.snapshot-installed',
  ],
  'scenarios/raft-fsync-errors.yaml': [
    'raft.fsync-failed',
    'raft.snapshot-durable',
    'raft.torn-tail-truncated',
  ],
};

test.each(Object.entries(EXPECTED))(
  `%s hits its paths in the first ${SEEDS} seeds`,
  async (file, marks) => {
    const { scenario } = await loadScenario(join(ROOT, file));
    const seen = new Map<string, number>();
    for (let seed = 1; seed <= SEEDS; seed++) {
      for (const [name, n] of Object.entries(runSeed(scenario, seed).result.stats.marks))
        seen.set(name, (seen.get(name) ?? 0) + n);
    }
    expect(
      marks.filter((m) => !seen.has(m)),
      `marks seen: ${[...seen.keys()].join(', ')}`,
    ).toEqual([]);
  },
);
