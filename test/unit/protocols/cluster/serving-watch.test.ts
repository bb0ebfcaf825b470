/**
 * The serving watch (recovery-strategy.ts `noteServing`): a moved shard's new group is marked
 * serving once its primary commits an entry of its own, checked after the steps that can
 * change it: the group's own (named), or, after any other event, a scan of every watched group
 * when one of them stepped. A watched group that did not step is not looked at (its state
 * cannot have changed), and the scan keeps the order the groups were watched in.
 */
import { describe, expect, it } from 'vitest';
import type { EmbeddedNode } from '../../../../src/components/sub-node/embedded-node.js';
import { SteppedNodes } from '../../../../src/components/sub-node/embedded-node.js';
import type { ClusterEffect } from '../../../../src/protocols/cluster/messages.js';
import { noteServing } from '../../../../src/protocols/cluster/recovery-strategy.js';
import { SHARD_SERVING } from '../../../../src/protocols/cluster/recovery-metrics.js';

type Group = EmbeddedNode<unknown, unknown>;

/** A stand-in group: its namespace and a primary/backup state's role and commit index. */
const group = (ns: string, kind: 'primary' | 'backup', commitIndex: number): Group =>
  ({ ns, state: { role: { kind }, commitIndex } }) as unknown as Group;

function node(groups: Group[]) {
  return {
    groups: new Map(groups.map((g) => [g.ns, g])),
    serving: new Map(groups.map((g, i) => [g.ns, { shard: i + 1, commitAtStart: 3 }])),
    stepped: new SteppedNodes(),
  };
}

const served = (fx: ClusterEffect[]) =>
  fx.flatMap((e) => (e.type === 'mark' && e.name === SHARD_SERVING ? [e.value] : []));

describe('noteServing', () => {
  it('after another event, looks only when a watched group stepped, then at all in order', () => {
    const a = group('s1e2', 'primary', 4);
    const b = group('s2e2', 'primary', 5);
    const s = node([a, b]);
    const fx: ClusterEffect[] = [];
    noteServing(s, fx);
    expect(served(fx)).toEqual([]); // neither stepped: neither is looked at
    s.stepped.add(b);
    noteServing(s, fx);
    expect(served(fx)).toEqual([1, 2]);
    expect(s.serving.size).toBe(0);
  });

  it('marks a group once, and not while it is a backup or has committed nothing new', () => {
    const a = group('s1e2', 'backup', 9);
    const b = group('s2e2', 'primary', 3);
    const s = node([a, b]);
    s.stepped.add(a);
    s.stepped.add(b);
    const fx: ClusterEffect[] = [];
    noteServing(s, fx);
    noteServing(s, fx, 's2e2');
    expect(served(fx)).toEqual([]);
    (b.state as { commitIndex: number }).commitIndex = 4;
    noteServing(s, fx, 's2e2');
    noteServing(s, fx);
    expect(served(fx)).toEqual([2]);
  });
});
