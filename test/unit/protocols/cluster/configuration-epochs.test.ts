/**
 * Each configuration of a shard elects primary/backup epochs of its own (cluster-config.ts,
 * `shardEpochFloor`). A group of a new configuration starts from copies of the old group's
 * files; when it could elect an epoch the old group had used, a member whose copy held an
 * unacknowledged entry of that epoch kept it: the new primary's `Replicate` matched it by
 * (epoch, index). Found by cluster-chaos seed 9921 (an append that timed out surfaced in the
 * middle of a key's history; scenarios/regressions/cluster-epoch-reused-across-configurations).
 */
import { describe, expect, it } from 'vitest';
import type { Protocol } from '../../../../src/core/protocol.js';
import {
  type ClusterOptions,
  createClusterConfig,
  EPOCHS_PER_CONFIGURATION,
  shardEpochFloor,
} from '../../../../src/protocols/cluster/cluster-config.js';
import { cluster } from '../../../../src/protocols/cluster/index.js';
import type { Entry, PbMessage } from '../../../../src/protocols/primary-backup/messages.js';
import type { PbState } from '../../../../src/protocols/primary-backup/pb-state.js';
import { boot, sent, settle, testContext } from '../../../support/step-harness.js';

const NODES = ['n1', 'n2', 'n3', 'n4', 'n5', 'n6', 'n7'];
const OLD = ['n4', 'n5', 'n6'];
const NEW = ['n5', 'n6', 'n7'];
const cfg = createClusterConfig(
  cluster.optionsSchema?.parse({ shards: 1 }) as ClusterOptions,
  NODES,
  undefined,
);
type Pb = Protocol<PbState, PbMessage, unknown, unknown>;
const group = (replicas: string[], epoch: number) =>
  cfg.createShardGroup(replicas, [], epoch) as unknown as Pb;

const append = (epoch: number, index: number, value: string): Entry => ({
  epoch,
  index,
  cmd: { f: 'append', key: 'k', value },
});

/** A node of the old group that took `entries` from primaries of their epochs, durably. */
function oldMember(node: string, entries: readonly Entry[]) {
  const p = group(OLD, 1);
  const ctx = testContext(node, NODES);
  let s = boot(p, ctx);
  for (const e of entries) {
    const prevIndex = e.index - 1;
    const prevEpoch = entries[prevIndex - 1]?.epoch ?? 0;
    const m: PbMessage = {
      type: 'Replicate',
      epoch: e.epoch,
      prevIndex,
      prevEpoch,
      entries: [e],
      commitIndex: 0,
    };
    s = settle(p, ctx, p.onMessage(s, 'n4', m, ctx)).state;
  }
  return ctx;
}

describe('the epochs of a shard’s configurations', () => {
  it('are disjoint: configuration e elects above (e - 1) × the stride', () => {
    expect(shardEpochFloor(1)).toBe(0);
    expect(shardEpochFloor(2)).toBe(EPOCHS_PER_CONFIGURATION);
    expect(shardEpochFloor(3)).toBe(2 * EPOCHS_PER_CONFIGURATION);
  });

  it('keep an unacknowledged entry of the old group out of the new group’s log', () => {
    // n5 followed the old group's primary of epoch 2 (cut off from n6), which never committed
    // its append; n6 stopped at epoch 1. Both start the new configuration from their own files.
    const n5 = oldMember('n5', [append(1, 1, 'a'), append(2, 2, 'unacknowledged')]);
    const n6 = oldMember('n6', [append(1, 1, 'a')]);
    const p = group(NEW, 2);
    // n6 recovers in the new configuration and stands first.
    let s6 = settle(p, n6, p.onRecover(n6)).state;
    n6.now += 1_000_000;
    const stood = settle(p, n6, p.onTimer(s6, 'election', n6));
    s6 = stood.state;
    const ask = sent(stood.effects).find((m) => m.type === 'RequestVote');
    expect(ask?.type).toBe('RequestVote');
    const epoch = ask?.type === 'RequestVote' ? ask.epoch : 0;
    // Above every epoch the old group could have elected, whatever n6's copy said (1).
    expect(epoch).toBe(shardEpochFloor(2) + 1);
    // n6 won with n7 and replicates its no-op after their common entry; n5 joins from its copy.
    let s5 = settle(p, n5, p.onRecover(n5)).state;
    const noop: Entry = { epoch, index: 2, cmd: { f: 'noop' } };
    const m: PbMessage = {
      type: 'Replicate',
      epoch,
      prevIndex: 1,
      prevEpoch: 1,
      entries: [noop],
      commitIndex: 0,
    };
    s5 = settle(p, n5, p.onMessage(s5, 'n6', m, n5)).state;
    expect(s5.log).toEqual([append(1, 1, 'a'), noop]);
  });
});
