/**
 * Golden trace hashes (DESIGN §8): a few pinned (scenario, seed) pairs and the trace hash each
 * gave when this file was last written. Any change of behaviour, meant or not (a protocol rule,
 * the order of two effects, one more PRNG draw, a changed default), moves a hash and shows up in
 * review as a diff of trace-hashes.json.
 *
 * When a change of behaviour is deliberate, rewrite the file and say why in the commit:
 *
 *     UPDATE_GOLDEN=1 npx vitest run test/golden/trace-hashes.test.ts
 *
 * Never rewrite it to silence a failure you cannot explain: an unexplained move is exactly what
 * this test exists to catch (nondeterminism, or an accidental change of semantics).
 */
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, test } from 'vitest';
import { loadScenario } from '../../src/runner/load-scenario.js';
import { runSeed } from '../../src/run/run-seed.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const GOLDEN = fileURLToPath(new URL('./trace-hashes.json', import.meta.url));
const UPDATE = process.env.UPDATE_GOLDEN === '1';

interface Pin {
  readonly scenario: string;
  readonly seed: number;
  readonly bugs: readonly string[];
}

interface Golden extends Pin {
  readonly traceHash: string;
  /** Not compared on their own (the hash covers them); kept so a reviewer sees what moved. */
  readonly verdict: string;
  readonly events: number;
}

const PINS: readonly Pin[] = [
  { scenario: 'scenarios/showcase.yaml', seed: 1, bugs: [] },
  { scenario: 'scenarios/showcase.yaml', seed: 2, bugs: [] },
  { scenario: 'scenarios/fast/pb-async-crash.yaml', seed: 2, bugs: [] },
  { scenario: 'scenarios/smoke/ping.yaml', seed: 1, bugs: [] },
  { scenario: 'scenarios/smoke/ping-membership.yaml', seed: 1, bugs: [] },
  { scenario: 'scenarios/lessons/async-loses-writes.yaml', seed: 1, bugs: [] },
  // A failing run with a named bug on: pins power-loss faults and the bug path too.
  {
    scenario: 'scenarios/fast/pb-sync-power-loss.yaml',
    seed: 3,
    bugs: ['primary-backup.ack-before-fsync'],
  },
  { scenario: 'scenarios/raft-crash.yaml', seed: 1, bugs: [] },
  { scenario: 'scenarios/raft-elections.yaml', seed: 3, bugs: ['raft.vote-before-persist'] },
];

const key = (p: Pin) => `${p.scenario} seed ${p.seed}${p.bugs.map((b) => ` --bug ${b}`).join('')}`;

async function measure(p: Pin): Promise<Golden> {
  const { scenario } = await loadScenario(join(ROOT, p.scenario));
  const { result } = runSeed(scenario, p.seed, { bugs: p.bugs });
  return { ...p, traceHash: result.traceHash, verdict: result.verdict, events: result.events };
}

test(
  UPDATE
    ? 'rewrites the golden trace hashes (UPDATE_GOLDEN=1)'
    : 'pinned seeds give their golden trace hashes',
  async () => {
    const now: Golden[] = [];
    for (const p of PINS) now.push(await measure(p));
    if (UPDATE) {
      const tmp = `${GOLDEN}.tmp`;
      writeFileSync(tmp, `${JSON.stringify(now, null, 2)}\n`);
      renameSync(tmp, GOLDEN);
      return;
    }
    const golden = JSON.parse(readFileSync(GOLDEN, 'utf8')) as Golden[];
    const recorded = new Map(golden.map((g) => [key(g), g]));
    const hint =
      'if this change of behaviour is deliberate, rerun with UPDATE_GOLDEN=1 and give the reason in the commit';
    expect([...recorded.keys()], `the pins in trace-hashes.json differ from PINS; ${hint}`).toEqual(
      PINS.map(key),
    );
    // One comparison of the whole list, so a failure shows every pin that moved, not just the first.
    const view = (g: Golden | undefined, p: Pin) => ({
      pin: key(p),
      traceHash: g?.traceHash,
      verdict: g?.verdict,
      events: g?.events,
    });
    expect(
      now.map((g) => view(g, g)),
      `trace hashes moved; ${hint}`,
    ).toEqual(now.map((g) => view(recorded.get(key(g)), g)));
  },
);
