/**
 * Deletes in dynamo: a tombstone is a version with its own dot that a get hides but whose
 * context a later put supersedes; siblings may mix a tombstone and values; a collected
 * tombstone leaves a floor below which copies are refused; and research catalogue #26's schedule
 * (scenarios/regressions/dynamo-tombstone-gc-grace.yaml) resurrects a deleted value in one seed
 * with the named bug and stays valid without it.
 */
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { VectorClock } from '../../../../src/components/clocks/vector-clock.js';
import {
  aboveFloor,
  clockOf,
  decodeVersions,
  encodeVersions,
  type Resolver,
  readOf,
  type Versions,
  writeVersion,
} from '../../../../src/protocols/dynamo/versions.js';
import { runSeed } from '../../../../src/run/run-seed.js';
import { loadScenario } from '../../../../src/runner/load-scenario.js';

const ROOT = fileURLToPath(new URL('../../../..', import.meta.url));
const siblings: Resolver = { resolution: 'siblings', compareBug: undefined };

const write = (vs: Versions, node: string, value: string, ctx: VectorClock, tomb = false) =>
  writeVersion(siblings, vs, { node, context: ctx, value, ts: { l: 0, c: 0 }, tomb });

const ctxOf = (vs: Versions) =>
  VectorClock.from(
    readOf(vs).context.map((e) => {
      const [n, c] = e.split(':');
      return [n as string, Number(c)] as const;
    }),
  );

describe('dynamo deletes', () => {
  it('hides a tombstone from a get but keeps its dot in the context', () => {
    const a = write([], 'n1', 'x', VectorClock.EMPTY).versions;
    const d = write(a, 'n2', '', ctxOf(a), true).versions;
    expect(readOf(d)).toEqual({ values: [], context: ['n1:1', 'n2:1'] });
    const b = write(d, 'n1', 'y', ctxOf(d)).versions;
    expect(readOf(b)).toEqual({ values: ['y'], context: ['n1:2', 'n2:1'] });
    expect(b).toHaveLength(1);
  });

  it('keeps a tombstone and a concurrent value as siblings', () => {
    const a = write([], 'n1', 'x', VectorClock.EMPTY).versions;
    const d = write(a, 'n2', '', ctxOf(a), true).versions;
    const c = write(d, 'n3', 'z', VectorClock.EMPTY).versions;
    expect(c.map((v) => v.tomb === true)).toEqual([true, false]);
    expect(readOf(c).values).toEqual(['z']);
  });

  it('encodes a value as before deletes, and a tombstone with a trailing 1', () => {
    const a = write([], 'n1', 'x', VectorClock.EMPTY).versions;
    const d = write(a, 'n2', '', ctxOf(a), true).versions;
    expect(encodeVersions(a)).toEqual([['n1', 1, [], 'x', 0, 0]]);
    expect(encodeVersions(d)).toEqual([['n2', 1, [['n1', 1]], '', 0, 0, 1]]);
    expect(decodeVersions(encodeVersions(d))).toEqual(d);
  });

  it('refuses copies below a collected tombstone’s floor, and dots start above it', () => {
    const a = write([], 'n1', 'x', VectorClock.EMPTY).versions;
    const { version: t } = write(a, 'n1', '', ctxOf(a), true);
    const floor = clockOf(t);
    expect(aboveFloor(a, floor)).toEqual([]);
    const next = writeVersion(
      siblings,
      [],
      {
        node: 'n1',
        context: VectorClock.EMPTY,
        value: 'y',
        ts: { l: 0, c: 0 },
      },
      floor,
    );
    expect(next.version.dot).toEqual({ node: 'n1', counter: 3 });
    expect(aboveFloor(next.versions, floor)).toEqual(next.versions);
  });

  it('resurrects a deleted value on catalogue #26’s schedule only with the named bug', async () => {
    const file = join(ROOT, 'scenarios/regressions/dynamo-tombstone-gc-grace.yaml');
    const { scenario } = await loadScenario(file);
    const clean = runSeed(scenario, 1).result;
    expect(clean.verdict, JSON.stringify(clean.checks)).toBe('valid');
    const bug = runSeed({ ...scenario, bugs: ['dynamo.tombstone-gc-before-anti-entropy'] }, 1);
    const durability = bug.result.checks.find((c) => c.checker === 'durability');
    expect(durability?.verdict).toBe('violation');
    expect(durability?.summary).toContain('deleted values came back');
  });
});
