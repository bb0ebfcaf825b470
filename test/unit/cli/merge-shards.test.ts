/**
 * `merge` judges whether the shards it was given are the whole sweep: each `fuzz --json` document
 * records its shard, so a shard given twice is refused naming both files, and a sweep with shards
 * (or seeds) missing is merged but marked incomplete, never passed off as the whole sweep.
 */
import { describe, expect, it } from 'vitest';
import {
  FUZZ_SCHEMA_VERSION,
  fuzzTotals,
  mergeFuzzDocuments,
  type FuzzDocument,
} from '../../../src/cli/fuzz-document.js';
import { EXIT, UserError } from '../../../src/runner/exit-codes.js';
import type { SeedSummary } from '../../../src/runner/seed-summary.js';

const seed = (n: number): SeedSummary => ({
  seed: n,
  verdict: 'valid',
  traceHash: n.toString(16).padStart(16, '0'),
  events: 100,
  endUs: 1000,
  checks: [],
  metrics: {} as SeedSummary['metrics'],
});

/** Shard `index` of `count` of the sweep 1..10, holding `seeds`. */
function shard(index: number, count: number, seeds: number[]): FuzzDocument {
  const results = seeds.map(seed);
  return {
    schemaVersion: FUZZ_SCHEMA_VERSION,
    tool: 'faultline',
    kind: 'fuzz',
    scenario: { file: 's.yaml', name: 's', contentHash: 'abc' },
    bugs: [],
    swarm: false,
    sweep: { from: 1, to: 10 },
    shard: { index, count },
    stopOnFirst: false,
    stoppedAfter: null,
    workers: 1,
    wallMs: 10,
    ...fuzzTotals(results),
    replay: null,
    reports: [],
    results,
  };
}

function userError(f: () => unknown): UserError {
  try {
    f();
  } catch (e) {
    if (e instanceof UserError) return e;
    throw e;
  }
  throw new Error('expected a UserError');
}

const range = (a: number, b: number) => Array.from({ length: b - a + 1 }, (_, i) => a + i);

describe('merge: the whole sweep, or says it is not', () => {
  it('every shard once: complete', () => {
    const m = mergeFuzzDocuments(
      [shard(2, 3, range(5, 8)), shard(1, 3, range(1, 4)), shard(3, 3, range(9, 10))],
      ['b', 'a', 'c'],
    );
    expect(m.complete).toBe(true);
    expect(m.missing).toBeUndefined();
  });

  it('a shard missing: merged, but incomplete, naming the shard and its seeds', () => {
    const m = mergeFuzzDocuments([shard(1, 3, range(1, 4)), shard(3, 3, range(9, 10))], ['a', 'c']);
    expect(m.complete).toBe(false);
    expect(m.missing).toEqual({ shards: [2], shardCount: 3, seeds: 4, ranges: [[5, 8]] });
  });

  it('the same shard twice is refused, naming both files, even when it holds no seeds', () => {
    const e = userError(() =>
      mergeFuzzDocuments(
        [shard(1, 4, range(1, 1)), shard(4, 4, []), shard(4, 4, [])],
        ['a.json', 'd.json', 'd-again.json'],
      ),
    );
    expect(e.exitCode).toBe(EXIT.dataError);
    expect(e.message).toBe('d-again.json: shard 4/4 is also in d.json: the inputs overlap');
  });

  it('shards of different splits, or of different sweeps, are refused', () => {
    const other = { ...shard(2, 4, range(4, 6)) };
    const e = userError(() => mergeFuzzDocuments([shard(1, 3, range(1, 4)), other], ['a', 'b']));
    expect(e.message).toMatch(/^b: the shard count differs from a/);
    const wider = { ...shard(2, 3, range(5, 8)), sweep: { from: 1, to: 20 } };
    const f = userError(() => mergeFuzzDocuments([shard(1, 3, range(1, 4)), wider], ['a', 'b']));
    expect(f.message).toMatch(/^b: the sweep differs from a/);
  });

  it('a merged document merges again, and is complete once the missing shard joins it', () => {
    const partial = mergeFuzzDocuments(
      [shard(1, 3, range(1, 4)), shard(3, 3, range(9, 10))],
      ['a', 'c'],
    );
    const whole = mergeFuzzDocuments([partial, shard(2, 3, range(5, 8))], ['ac', 'b']);
    expect(whole.complete).toBe(true);
    expect(whole.results.map((r) => r.seed)).toEqual(range(1, 10));
  });
});
