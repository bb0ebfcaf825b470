/**
 * Ranges that split as they grow (`sharding: range`, issue 16), end to end: a run of
 * scenarios/cluster-ranges.yaml starts from one range and ends with more, each split marked
 * with why, every checker passing; and options that do not fit a sharding mode are exit 65,
 * each one positioned message naming the field, no stack.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runSeed } from '../../src/run/run-seed.js';
import { loadScenario } from '../../src/runner/load-scenario.js';
import { ROOT, runBadScenario, useTempDirs } from './cli.js';

const temp = useTempDirs();
const FILE = 'scenarios/cluster-ranges.yaml';
const RANGES = readFileSync(join(ROOT, FILE), 'utf8');
const OPTIONS =
  '{ managers: 3, sharding: range, shards: 1, rangeSplitBytes: 160, replicasMin: 2, replicasMax: 3 }';

describe('a run with range sharding', () => {
  it('splits its one range as data arrives, each split explained, and stays valid', async () => {
    const { scenario } = await loadScenario(join(ROOT, FILE));
    const { result } = runSeed(scenario, 1);
    expect(result.checks.map((c) => [c.checker, c.verdict])).toEqual([
      ['durability', 'ok'],
      ['linearizability', 'ok'],
      ['liveness', 'ok'],
      ['invariants', 'ok'],
      ['placement', 'ok'],
    ]);
    const marks = Object.keys(result.stats.marks);
    const splits = marks.filter((m) => m.startsWith('cluster.split '));
    // The first split cuts the twelve keys k0..k11 at their median, k6, in key order.
    const first = /^cluster\.split s0 at k6: \d+ bytes in 12 keys of \[-inf, \+inf\)/;
    expect(splits.filter((m) => first.test(m))).toHaveLength(1);
    expect(splits.length).toBeGreaterThanOrEqual(3);
    expect(result.stats.marks['cluster.range-split']).toBe(splits.length);
    // Every split adds a shard, and each shard's configurations took effect.
    const shards = new Set(
      marks.flatMap((m) => /^cluster\.epoch s(\d+)e/.exec(m)?.[1] ?? []).map(Number),
    );
    expect(shards.size).toBe(1 + splits.length);
    expect(result.checks.at(-1)?.summary).toMatch(new RegExp(`^${1 + splits.length} shards `));
  });
});

describe('options that do not fit the sharding mode', () => {
  const bad = (name: string, options: string) =>
    runBadScenario(temp(name), name, RANGES.replace(OPTIONS, options));
  const line = RANGES.split('\n').findIndex((l) => l.includes(OPTIONS)) + 1;
  /** Where `text` starts on the options line once it reads `options` (1-based). */
  const at = (options: string, text: string) => {
    const column = (RANGES.split('\n')[line - 1] ?? '').replace(OPTIONS, options).indexOf(text);
    return `${line}:${column + 1}`;
  };

  it('a split threshold of 0 is exit 65 naming it', async () => {
    const zero = OPTIONS.replace('160', '0');
    const { f, lines } = await bad('zero', zero);
    expect(lines).toEqual([
      `${f}:${at(zero, '0,')} options.rangeSplitBytes: expected a whole number from 1 to 1000000000, got 0`,
    ]);
  });

  it('a range option under hashing, and vnodes under ranges, are exit 65', async () => {
    const hashed = OPTIONS.replace('sharding: range', 'sharding: hash');
    const hash = await bad('hash', hashed);
    expect(hash.lines).toEqual([
      `${hash.f}:${at(hashed, '160')} options.rangeSplitBytes: rangeSplitBytes is an option of sharding: range, and keys are hashed here (sharding: hash): remove it or set sharding: range`,
    ]);
    const withVnodes = OPTIONS.replace('shards: 1,', 'shards: 1, vnodes: 8,');
    const vnodes = await bad('vnodes', withVnodes);
    expect(vnodes.lines).toEqual([
      `${vnodes.f}:${at(withVnodes, '8,')} options.vnodes: vnodes are tokens on the hash ring, and keys map to ranges here (sharding: range): remove it or set sharding: hash`,
    ]);
  });

  it('initial ranges without their bounds are exit 65', async () => {
    const bounds = OPTIONS.replace('shards: 1,', 'shards: 3, rangeBounds: [k4],');
    const { f, lines } = await bad('bounds', bounds);
    expect(lines).toEqual([
      `${f}:${at(bounds, '[k4]')} options.rangeBounds: sharding: range starts from 3 ranges, cut at shards - 1 = 2 rangeBounds, and 1 is given: set shards: 2 or list 2 bounds`,
    ]);
  });
});
