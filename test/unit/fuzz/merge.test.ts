/**
 * Merging `fuzz --json` documents: results in seed order, totals recomputed, the replay command
 * of whichever shard holds the lowest failing seed; documents of another scenario, other bugs,
 * another swarm setting, or overlapping seeds are refused naming the file (exit 65).
 */
import { describe, expect, it } from 'vitest';
import { EXIT, UserError } from '../../../src/runner/exit-codes.js';
import {
  FUZZ_SCHEMA_VERSION,
  fuzzTotals,
  mergeFuzzDocuments,
  type FuzzDocument,
} from '../../../src/cli/fuzz-document.js';
import type { SeedSummary } from '../../../src/runner/seed-summary.js';

const seed = (n: number, failing = false): SeedSummary => ({
  seed: n,
  verdict: failing ? 'invalid' : 'valid',
  traceHash: n.toString(16).padStart(16, '0'),
  events: 100,
  endUs: 1000,
  checks: [{ checker: 'durability', verdict: failing ? 'violation' : 'ok', summary: '' }],
  metrics: {} as SeedSummary['metrics'],
});

function doc(results: SeedSummary[], over: Partial<FuzzDocument> = {}): FuzzDocument {
  const lowest = results.find((r) => r.verdict !== 'valid')?.seed;
  return {
    schemaVersion: FUZZ_SCHEMA_VERSION,
    tool: 'faultline',
    kind: 'fuzz',
    scenario: { file: 's.yaml', name: 's', contentHash: 'abc' },
    bugs: [],
    swarm: false,
    sweep: { from: 1, to: 9 },
    shard: null,
    stopOnFirst: false,
    stoppedAfter: null,
    workers: 2,
    wallMs: 100,
    ...fuzzTotals(results),
    replay: lowest === undefined ? null : `faultline run s.yaml --seed ${lowest}`,
    reports: [],
    results,
    ...over,
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

describe('mergeFuzzDocuments', () => {
  it('combines shards in seed order, whatever order they come in, with the lowest failing seed and its replay', () => {
    const a = doc([seed(1), seed(2), seed(3)]);
    const b = doc([seed(4), seed(5, true), seed(6)]);
    const c = doc([seed(7, true), seed(8), seed(9)]);
    const merged = mergeFuzzDocuments([c, a, b], ['c', 'a', 'b']);
    expect(merged.results.map((r) => r.seed)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(merged.lowestFailingSeed).toBe(5);
    expect(merged.replay).toBe('faultline run s.yaml --seed 5');
    expect(merged.counts).toEqual({ valid: 7, invalid: 2, unknown: 0 });
    expect(merged.violationsByChecker).toEqual({ durability: 2 });
    expect(merged.wallMs).toBe(300);
  });

  it('refuses documents of another scenario, other bugs or another swarm setting, naming the file', () => {
    const a = doc([seed(1)]);
    for (const [other, what] of [
      [doc([seed(2)], { scenario: { file: 's.yaml', name: 's', contentHash: 'def' } }), 'scenario'],
      [doc([seed(2)], { bugs: ['primary-backup.retry-fsync'] }), 'bugs'],
      [doc([seed(2)], { swarm: true }), 'swarm'],
    ] as const) {
      const e = userError(() => mergeFuzzDocuments([a, other], ['a.json', 'b.json']));
      expect(e.exitCode).toBe(EXIT.dataError);
      expect(
        e.message.startsWith(`b.json: `) && e.message.includes(`${what} differs from a.json`),
        e.message,
      ).toBe(true);
    }
  });

  it('refuses overlapping inputs', () => {
    const e = userError(() =>
      mergeFuzzDocuments([doc([seed(1), seed(2)]), doc([seed(2), seed(3)])], ['a.json', 'b.json']),
    );
    expect(e.exitCode).toBe(EXIT.dataError);
    expect(e.message).toBe('b.json: seed 2 is also in a.json: the inputs overlap');
  });
});
