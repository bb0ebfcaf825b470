/**
 * The placement sweep judges, after each fact, only the shards that fact can change (a group's
 * running or leading and a configuration taking effect: its shard; a crash or restart: every
 * shard). Against a reference that judges every shard after every fact, on random timelines of
 * two shards over four nodes, the stretches under-replicated and without a primary are the
 * same, in the same order.
 */
import { expect } from 'vitest';
import { fc, test } from '@fast-check/vitest';
import { PlacementSweep, type Stretch } from '../../../src/checkers/placement-sweep.js';
import {
  epochMark,
  primaryMark,
  runningMark,
  storageNodeMark,
} from '../../../src/core/placement-marks.js';
import type { MarkRecord, NodeLifeRecord } from '../../../src/core/run-timeline.js';

const NODES = ['n4', 'n5', 'n6', 'n7'];
const MIN = 2;

type Fact =
  | { t: 'epoch'; shard: number; epoch: number; replicas: string[] }
  | { t: 'running' | 'primary'; shard: number; epoch: number; node: string; on: boolean }
  | { t: 'life'; node: string; up: boolean };

const nodeArb = fc.constantFrom(...NODES);
const factArb: fc.Arbitrary<Fact> = fc.oneof(
  fc.record({
    t: fc.constant('epoch' as const),
    shard: fc.nat(1),
    epoch: fc.integer({ min: 1, max: 2 }),
    replicas: fc.subarray(NODES, { minLength: 1 }),
  }),
  {
    arbitrary: fc.record({
      t: fc.constantFrom('running' as const, 'primary' as const),
      shard: fc.nat(1),
      epoch: fc.integer({ min: 1, max: 2 }),
      node: nodeArb,
      on: fc.constantFrom(true, true, false),
    }),
    weight: 4,
  },
  fc.record({ t: fc.constant('life' as const), node: nodeArb, up: fc.boolean() }),
);

function timelineOf(facts: readonly Fact[]): (MarkRecord | NodeLifeRecord)[] {
  const boot = NODES.map((node) => ({ atUs: 0, node, name: storageNodeMark('z1'), value: 8 }));
  return [
    ...boot,
    ...facts.map((f, i) => {
      const atUs = (i + 1) * 1000;
      if (f.t === 'life') return { atUs, node: f.node, up: f.up };
      const c = { shard: f.shard, epoch: f.epoch };
      if (f.t === 'epoch') return { atUs, node: 'n1', name: epochMark(c, f.replicas), value: 1 };
      const name = f.t === 'running' ? runningMark(c) : primaryMark(c);
      return { atUs, node: f.node, name, value: f.on ? 1 : 0 };
    }),
  ];
}

/** Every shard judged after every fact, as the sweep did before it judged only the changed. */
function reference(facts: readonly Fact[], endUs: number) {
  const down = new Set<string>();
  const running = new Map<string, Set<string>>();
  const leads = new Map<string, Set<string>>();
  const shards = new Map<number, { epoch: number; replicas: string[]; w: Watch }>();
  type Watch = { rep: boolean; under: number | undefined; had: boolean; none: number | undefined };
  const under: Stretch[] = [];
  const noPrimary: Stretch[] = [];
  const judgeAll = (atUs: number) => {
    for (const [shard, s] of shards) {
      const g = `s${shard}e${s.epoch}`;
      const live = s.replicas.filter((n) => !down.has(n) && running.get(n)?.has(g)).length;
      const primary = [...leads].some(([n, set]) => !down.has(n) && set.has(g));
      const w = s.w;
      if (live >= MIN) {
        w.rep = true;
        if (w.under !== undefined) under.push({ shard, fromUs: w.under, toUs: atUs });
        w.under = undefined;
      } else if (w.rep) w.under ??= atUs;
      if (primary) {
        w.had = true;
        if (w.none !== undefined) noPrimary.push({ shard, fromUs: w.none, toUs: atUs });
        w.none = undefined;
      } else if (w.had) w.none ??= atUs;
    }
  };
  facts.forEach((f, i) => {
    const atUs = (i + 1) * 1000;
    if (f.t === 'life') {
      if (f.up) down.delete(f.node);
      else {
        down.add(f.node);
        running.delete(f.node);
        leads.delete(f.node);
      }
    } else if (f.t === 'epoch') {
      const s = shards.get(f.shard);
      if (s === undefined)
        shards.set(f.shard, {
          epoch: f.epoch,
          replicas: f.replicas,
          w: { rep: false, under: undefined, had: false, none: undefined },
        });
      else if (f.epoch > s.epoch) {
        s.epoch = f.epoch;
        s.replicas = f.replicas;
      }
    } else {
      const sets = f.t === 'running' ? running : leads;
      const set = sets.get(f.node) ?? new Set<string>();
      sets.set(f.node, set);
      if (f.on) set.add(`s${f.shard}e${f.epoch}`);
      else set.delete(`s${f.shard}e${f.epoch}`);
    }
    judgeAll(atUs);
  });
  for (const [shard, { w }] of shards) {
    if (w.under !== undefined) under.push({ shard, fromUs: w.under, toUs: endUs });
    if (w.none !== undefined) noPrimary.push({ shard, fromUs: w.none, toUs: endUs });
  }
  return { under, noPrimary };
}

test.prop([fc.array(factArb, { maxLength: 60 })], { numRuns: 500 })(
  'judging only the shards a fact can change gives what judging all of them gives',
  (facts) => {
    const endUs = (facts.length + 2) * 1000;
    const got = new PlacementSweep(MIN, 1_000_000).run(timelineOf(facts), endUs);
    const want = reference(facts, endUs);
    expect(got.underReplicated).toEqual(want.under);
    expect(got.withoutPrimary).toEqual(want.noPrimary);
  },
);
