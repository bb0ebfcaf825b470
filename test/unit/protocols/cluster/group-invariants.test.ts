/**
 * A storage node checks its groups' invariants after each event (storage.ts, checkGroups): the
 * groups that stepped, whichever way they stepped, and no other. A group whose state breaks an
 * invariant is caught the first time it steps; one that did not step is as it was when last
 * checked, so it is not asked.
 */
import { describe, expect, it } from 'vitest';
import { AssertionError } from '../../../../src/core/assert.js';
import {
  type ClusterOptions,
  createClusterConfig,
} from '../../../../src/protocols/cluster/cluster-config.js';
import { cluster } from '../../../../src/protocols/cluster/index.js';
import type { ClusterEffect } from '../../../../src/protocols/cluster/messages.js';
import { foldShardMap } from '../../../../src/protocols/cluster/shard-map.js';
import { bootStorage, checkGroups, onMapReply } from '../../../../src/protocols/cluster/storage.js';
import { testContext } from '../../../support/step-harness.js';

const NODES = ['n1', 'n2', 'n3', 'n4', 'n5', 'n6'];
const cfg = createClusterConfig(
  cluster.optionsSchema?.parse({ managers: 3, shards: 2 }) as ClusterOptions,
  NODES,
  undefined,
);

/** n4 running both shards' groups of epoch 1, checked once since they started. */
function running() {
  const ctx = testContext('n4', NODES);
  const fx: ClusterEffect[] = [];
  const s = bootStorage(cfg, ctx, fx);
  onMapReply(cfg, s, 'n1', foldShardMap('s0@1^0=n4+n5+n6 s1@1^0=n4+n5+n6'), ctx, fx);
  checkGroups(s, ctx);
  return { s, ctx };
}

/** Breaks `applied ≤ commitIndex` in group `ns`'s state. */
function corrupt(s: ReturnType<typeof running>['s'], ns: string): void {
  const state = s.groups.get(ns)?.state as { applied: number; commitIndex: number };
  state.applied = state.commitIndex + 5;
}

describe('the invariants of a storage node’s groups', () => {
  it('catches a broken group when it steps, and only then', () => {
    const { s, ctx } = running();
    expect([...s.groups.keys()]).toEqual(['s0e1', 's1e1']);
    corrupt(s, 's1e1');
    // Not stepped since it was last checked: not asked.
    expect(() => checkGroups(s, ctx)).not.toThrow();
    s.groups.get('s0e1')?.timer('no-such-timer', ctx, []);
    expect(() => checkGroups(s, ctx)).not.toThrow();
    s.groups.get('s1e1')?.timer('no-such-timer', ctx, []);
    expect(() => checkGroups(s, ctx)).toThrow(AssertionError);
  });

  it('catches it when several groups stepped in one event', () => {
    const { s, ctx } = running();
    corrupt(s, 's0e1');
    s.groups.get('s1e1')?.timer('no-such-timer', ctx, []);
    s.groups.get('s0e1')?.timer('no-such-timer', ctx, []);
    expect(() => checkGroups(s, ctx)).toThrow(AssertionError);
  });
});
