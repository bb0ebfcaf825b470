/**
 * The placement checker (src/checkers/placement.ts) on hand-built timelines of cluster marks,
 * one rule per case: live replicas below the minimum for too long (a crash, a repair that never
 * runs), a shard without a primary for too long (deposed, crashed), two replicas in one zone
 * while another zone had room (and not when the free node was dead to the proposer, or full).
 * Then the house rule: each broken copy of the checker gets some case wrong.
 */
import { describe, expect, it } from 'vitest';
import { checkPlacement, limitsOf, type PlacementLimits } from '../../../src/checkers/placement.js';
import {
  epochMark,
  parsePlacementMark,
  primaryMark,
  proposedMark,
  runningMark,
  storageNodeMark,
} from '../../../src/core/placement-marks.js';
import {
  isMark,
  type MarkRecord,
  type NodeLifeRecord,
  type RunTimeline,
} from '../../../src/core/run-timeline.js';
import { mutationSuite } from '../../support/mutation-suite.js';

const MS = 1000;
const LIMITS: PlacementLimits = {
  replicasMin: 2,
  underReplicatedMaxUs: 1000 * MS,
  failoverMaxUs: 1000 * MS,
};

type Entry = MarkRecord | NodeLifeRecord;

interface Input {
  readonly timeline: RunTimeline;
  readonly endUs: number;
}

const mark = (atMs: number, node: string, name: string, value?: number): MarkRecord => ({
  atUs: atMs * MS,
  node,
  name,
  value,
});
const life = (atMs: number, node: string, up: boolean) => ({ atUs: atMs * MS, node, up });

/** n4, n7 in z1; n5, n8 in z2; n6 in z3; room for 16 replicas each. */
const NODES: readonly (readonly [string, string])[] = [
  ['n4', 'z1'],
  ['n5', 'z2'],
  ['n6', 'z3'],
  ['n7', 'z1'],
  ['n8', 'z2'],
];
const boot = NODES.map(([n, z]) => mark(0, n, storageNodeMark(z), 16));
const ALL = NODES.map(([n]) => n);

/** Shard 0 placed on `replicas` at `atMs`, each running it at once, `primary` leading. */
function placed(
  atMs: number,
  epoch: number,
  replicas: string[],
  primary: string | undefined,
  live = ALL,
) {
  const c = { shard: 0, epoch };
  return [
    mark(atMs, 'n1', proposedMark(c, replicas, live)),
    mark(atMs, 'n1', epochMark(c, replicas)),
    ...replicas.map((n) => mark(atMs, n, runningMark(c), 1)),
    ...(primary === undefined ? [] : [mark(atMs, primary, primaryMark(c), 1)]),
  ];
}

const healthy = [...boot, ...placed(100, 1, ['n4', 'n5', 'n6'], 'n4')];

const CASES = [
  {
    name: 'a run without cluster marks',
    input: { timeline: [], endUs: 3000 * MS },
    verdict: 'unknown',
  },
  { name: 'a healthy shard', input: { timeline: healthy, endUs: 3000 * MS }, verdict: 'ok' },
  {
    name: 'two replicas crashed and never replaced',
    input: {
      timeline: [...healthy, life(1000, 'n5', false), life(1000, 'n6', false)],
      endUs: 3000 * MS,
    },
    verdict: 'violation',
  },
  {
    name: 'two replicas crashed, replaced within the limit',
    input: {
      timeline: [
        ...healthy,
        life(1000, 'n5', false),
        life(1000, 'n6', false),
        ...placed(1300, 2, ['n4', 'n7', 'n8'], 'n4', ['n4', 'n7', 'n8']),
      ],
      endUs: 3000 * MS,
    },
    verdict: 'ok',
  },
  {
    name: 'a repair whose new replicas never run (the survivor leads it)',
    input: {
      timeline: [
        ...healthy,
        life(1000, 'n5', false),
        life(1000, 'n6', false),
        mark(
          1200,
          'n1',
          proposedMark({ shard: 0, epoch: 2 }, ['n4', 'n7', 'n8'], ['n4', 'n7', 'n8']),
        ),
        mark(1200, 'n1', epochMark({ shard: 0, epoch: 2 }, ['n4', 'n7', 'n8'])),
        mark(1250, 'n4', runningMark({ shard: 0, epoch: 2 }), 1),
        mark(1300, 'n4', primaryMark({ shard: 0, epoch: 2 }), 1),
      ],
      endUs: 3000 * MS,
    },
    verdict: 'violation',
  },
  {
    name: 'a primary deposed and none elected',
    input: {
      timeline: [...healthy, mark(1000, 'n4', primaryMark({ shard: 0, epoch: 1 }), 0)],
      endUs: 3000 * MS,
    },
    verdict: 'violation',
  },
  {
    name: 'a primary deposed and another elected soon',
    input: {
      timeline: [
        ...healthy,
        mark(1000, 'n4', primaryMark({ shard: 0, epoch: 1 }), 0),
        mark(1500, 'n5', primaryMark({ shard: 0, epoch: 1 }), 1),
      ],
      endUs: 3000 * MS,
    },
    verdict: 'ok',
  },
  {
    name: 'the primary’s node crashed and never returned',
    input: {
      timeline: [
        ...boot,
        ...placed(100, 1, ['n4', 'n5', 'n6', 'n7'], 'n4'),
        life(1000, 'n4', false),
      ],
      endUs: 3000 * MS,
    },
    verdict: 'violation',
  },
  {
    name: 'two replicas in z1 while n6 in z3 was live with room, never spread again',
    input: { timeline: [...boot, ...placed(100, 1, ['n4', 'n5', 'n7'], 'n4')], endUs: 3000 * MS },
    verdict: 'violation',
  },
  {
    name: 'two replicas in z1 while n6 in z3 had room, spread again within the limit',
    input: {
      timeline: [
        ...boot,
        ...placed(100, 1, ['n4', 'n5', 'n7'], 'n4'),
        ...placed(900, 2, ['n4', 'n5', 'n6'], 'n4'),
      ],
      endUs: 3000 * MS,
    },
    verdict: 'ok',
  },
  {
    name: 'two replicas in z1, spread again only after the limit',
    input: {
      timeline: [
        ...boot,
        ...placed(100, 1, ['n4', 'n5', 'n7'], 'n4'),
        ...placed(1500, 2, ['n4', 'n5', 'n6'], 'n4'),
      ],
      endUs: 3000 * MS,
    },
    verdict: 'violation',
  },
  {
    name: 'two replicas in z1 while z3’s only node was dead to the proposer',
    input: {
      timeline: [...boot, ...placed(100, 1, ['n4', 'n5', 'n7'], 'n4', ['n4', 'n5', 'n7', 'n8'])],
      endUs: 3000 * MS,
    },
    verdict: 'ok',
  },
  {
    name: 'two replicas in z1 while z3’s only node was full',
    input: {
      timeline: [
        ...boot.map((m) => (m.node === 'n6' ? { ...m, value: 1 } : m)),
        ...placed(50, 1, ['n6'], 'n6').map((m) => ({ ...m, name: m.name.replace('s0', 's1') })),
        ...placed(100, 1, ['n4', 'n5', 'n7'], 'n4'),
      ],
      endUs: 3000 * MS,
    },
    verdict: 'ok',
  },
] as const satisfies readonly { name: string; input: Input; verdict: string }[];

const judge = (input: Input): string => checkPlacement(input, LIMITS).verdict;

/** Rewrites each placement mark of the timeline; life records pass through unless dropped. */
function rewrite(
  input: Input,
  f: (m: MarkRecord) => MarkRecord | undefined,
  keepLives = true,
): Input {
  const timeline = input.timeline.flatMap((e): Entry[] => {
    if (!isMark(e)) return keepLives ? [e] : [];
    const m = f(e);
    return m === undefined ? [] : [m];
  });
  return { ...input, timeline };
}

const MUTANTS = [
  {
    mistake: 'forgets crashes (a crashed node still runs its groups and leads them)',
    judge: (i: Input) => judge(rewrite(i, (m) => m, false)),
  },
  {
    mistake: 'never hears that a primary stepped down',
    judge: (i: Input) =>
      judge(
        rewrite(i, (m) => (m.name.startsWith('cluster.primary') && m.value === 0 ? undefined : m)),
      ),
  },
  {
    mistake: 'counts a configuration’s replicas as live whether or not they run its group',
    judge: (i: Input) =>
      judge({
        ...i,
        timeline: i.timeline.flatMap((e): Entry[] => {
          const f = isMark(e) ? parsePlacementMark(e.name) : undefined;
          if (f?.kind !== 'epoch') return [e];
          return [
            e,
            ...f.replicas.map((n) => ({ ...e, node: n, name: runningMark(f.config), value: 1 })),
          ];
        }),
      }),
  },
  {
    mistake: 'judges zones against every storage node, not those the proposer counted live',
    judge: (i: Input) =>
      judge(
        rewrite(i, (m) => {
          const f = parsePlacementMark(m.name);
          return f?.kind === 'proposed'
            ? { ...m, name: proposedMark(f.config, f.replicas, ALL) }
            : m;
        }),
      ),
  },
  {
    mistake: 'ignores how many replicas a node may hold',
    judge: (i: Input) =>
      judge(
        rewrite(i, (m) =>
          m.name.startsWith('cluster.storage-node') ? { ...m, value: undefined } : m,
        ),
      ),
  },
];

mutationSuite('the placement checker', judge, CASES, MUTANTS);

describe('the placement checker’s report', () => {
  it('reports time under-replicated per shard, and the limits from the protocol’s options', () => {
    const r = checkPlacement(CASES[3].input, LIMITS);
    expect(r.summary).toMatch(
      /^1 shards never below 2 live replicas longer than 1s \(longest 300ms\)/,
    );
    expect(r.evidence).toMatchObject({ shards: [{ shard: 0, underReplicatedUs: 300 * MS }] });
    expect(limitsOf({ replicasMin: 3, underReplicatedMaxMs: 500 })).toEqual({
      replicasMin: 3,
      underReplicatedMaxUs: 500 * MS,
      failoverMaxUs: 30_000 * MS,
    });
  });

  it('names the shard, the zone and the node with room in a zone breach', () => {
    const r = checkPlacement(CASES[8].input, LIMITS);
    expect(r.summary).toBe(
      's0e1 (n4 n5 n7, proposed by n1 at 100ms) puts two replicas in z1 while n6 in z3, live and with room (0 of 16), held none; still so at the end after 2.9s, above the 1s allowed',
    );
  });
});
