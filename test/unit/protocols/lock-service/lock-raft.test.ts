/**
 * The lock service under `server: raft`: the lock table as Raft's replicated state machine
 * (lock-machine.ts) decides every lease by the stamps in the log, never by the clock of the
 * replica applying it, hands out the grant's log index as its fencing token, renews every lease
 * from a new leader's first stamp, answers a retried command from its session, and comes back
 * from a snapshot deciding alike; the layout puts the replicas at n1 and the last nodes. Then a
 * whole run: the group elects, grants and survives leader crashes with mutual exclusion held,
 * Raft's observer watching it.
 */
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { lockService } from '../../../../src/protocols/lock-service/index.js';
import { createLockConfig } from '../../../../src/protocols/lock-service/lock-config.js';
import {
  decodeResult,
  encodeCommand,
  type LockCommand,
  LockMachine,
} from '../../../../src/protocols/lock-service/lock-machine.js';
import type { Entry } from '../../../../src/protocols/raft/messages.js';
import { runSeed } from '../../../../src/run/run-seed.js';
import { loadScenario } from '../../../../src/runner/load-scenario.js';

const TTL = 100_000;

/** A committed entry carrying a lease command, as the leader of `term` proposed it at `at`. */
function entry(index: number, term: number, op: LockCommand['op'], owner: string, at: number) {
  const value = encodeCommand({ op, owner, ttlUs: TTL, at });
  const e: Entry = {
    index,
    term,
    digest: 0,
    cmd: { f: 'put', key: 'lock0', value },
    client: owner,
    seq: index,
  };
  return e;
}

const apply = (m: LockMachine, e: Entry) => decodeResult(m.apply(e));

describe('the lock table as a replicated state machine', () => {
  it('grants with the log index as the token and judges expiry by the stamps alone', () => {
    const m = new LockMachine();
    expect(apply(m, entry(3, 1, 'acquire', 'a', 1_000))).toMatchObject({ r: 'granted', token: 3 });
    expect(apply(m, entry(4, 1, 'acquire', 'b', 100_999))).toEqual({
      r: 'refused',
      reason: 'held',
    });
    expect(apply(m, entry(5, 1, 'acquire', 'a', 50_000))).toMatchObject({ token: 3, fresh: false });
    const next = apply(m, entry(6, 1, 'acquire', 'b', 101_000));
    expect(next).toMatchObject({ r: 'granted', token: 6, fresh: true, tookExpired: true });
    expect(apply(m, entry(7, 1, 'renew', 'a', 101_001))).toEqual({
      r: 'refused',
      reason: 'not-holder',
    });
    expect(apply(m, entry(8, 1, 'renew', 'b', 150_000))).toMatchObject({ r: 'granted', token: 6 });
    expect(apply(m, entry(9, 1, 'acquire', 'c', 249_999))).toEqual({
      r: 'refused',
      reason: 'held',
    });
    expect(apply(m, entry(10, 1, 'release', 'b', 250_000))).toEqual({ r: 'released' });
    expect(apply(m, entry(11, 1, 'acquire', 'c', 250_001))).toMatchObject({
      token: 11,
      tookExpired: false,
    });
  });

  it('a new leader renews every lease by its TTL from its own first stamp (etcd Promote)', () => {
    const m = new LockMachine();
    apply(m, entry(1, 1, 'acquire', 'a', 1_000));
    // The new leader's clock runs 500 ms ahead of the old one's: without the renewal the lease
    // stamped by the old leader would look long expired.
    expect(apply(m, entry(5, 2, 'acquire', 'b', 501_000))).toEqual({
      r: 'refused',
      reason: 'held',
    });
    expect(apply(m, entry(6, 2, 'acquire', 'b', 600_999))).toEqual({
      r: 'refused',
      reason: 'held',
    });
    expect(apply(m, entry(7, 2, 'acquire', 'b', 601_000))).toMatchObject({
      r: 'granted',
      token: 7,
    });
  });

  it('answers a retried command from its session instead of applying it again', () => {
    const m = new LockMachine();
    const first = entry(2, 1, 'acquire', 'a', 1_000);
    const granted = apply(m, first);
    expect(granted).toMatchObject({ token: 2, fresh: true });
    // The acquire committed twice (a retry that reached a new leader): answered alike.
    expect(apply(m, { ...first, index: 3 })).toEqual(granted);
    expect(apply(m, entry(4, 1, 'release', 'a', 2_000))).toEqual({ r: 'released' });
    // A copy arriving after the release is not applied: the lock stays free.
    expect(apply(m, { ...first, index: 5 })).toEqual({ r: 'released' });
    expect(apply(m, entry(6, 1, 'acquire', 'b', 3_000))).toMatchObject({
      token: 6,
      tookExpired: false,
    });
    expect(m.answered('a', 2)).toBeUndefined();
    expect(m.answered('b', 6)).toBeDefined();
  });

  it('comes back from a snapshot deciding alike, and snapshots to the same bytes', () => {
    const m = new LockMachine();
    apply(m, entry(1, 1, 'acquire', 'a', 1_000));
    apply(m, entry(2, 2, 'renew', 'a', 5_000));
    const snap = m.toSnapshot(2, 2, 7);
    const back = LockMachine.fromSnapshot(snap);
    expect(back.toSnapshot(2, 2, 7)).toEqual(snap);
    const e = entry(3, 2, 'acquire', 'b', 104_999);
    expect(apply(back, e)).toEqual(apply(m, e));
    const later = entry(4, 2, 'acquire', 'b', 105_000);
    expect(apply(back, later)).toEqual(apply(m, later));
    expect(back.lease('lock0')?.owner).toBe('b');
  });
});

describe('layout', () => {
  it('puts the replicas at n1 and the last nodes; the store stays n2, the clients n3 on', () => {
    const nodes = ['n1', 'n2', 'n3', 'n4', 'n5', 'n6', 'n7'];
    const cfg = createLockConfig(
      { fencing: true, ttlMaxMs: 200, server: 'raft', servers: 3 },
      new Set(),
      nodes,
    );
    expect(cfg.replicas).toEqual(['n1', 'n6', 'n7']);
    expect(cfg.store).toBe('n2');
    expect(cfg.clients).toEqual(['n3', 'n4', 'n5']);
    const single = createLockConfig({ fencing: true, ttlMaxMs: 200 }, new Set(), nodes);
    expect(single.replicas).toBeUndefined();
    expect(single.clients).toEqual(['n3', 'n4', 'n5', 'n6', 'n7']);
  });
});

describe('options', () => {
  it('refuse a cluster too small for the group, a store and a lock client', () => {
    const misfit = lockService.checkWorkload?.(
      { fencing: true, ttlMaxMs: 200, server: 'raft', servers: 5 },
      { name: 'lock', options: { ttl: 100_000 } },
      { nodes: 6 },
    );
    expect(misfit).toEqual({
      path: ['servers'],
      message:
        'servers is 5: with a store and a lock client that needs at least 7 nodes, cluster.nodes is 6',
    });
  });
});

describe('a run', () => {
  it('elects, grants across leader crashes, and keeps mutual exclusion and Figure 3', async () => {
    const file = fileURLToPath(
      new URL('../../../../scenarios/lock-raft-crash.yaml', import.meta.url),
    );
    const { scenario } = await loadScenario(file);
    const { result } = runSeed(scenario, 2);
    expect(result.verdict).toBe('valid');
    const names = result.checks.map((c) => c.checker);
    expect(names).toEqual(expect.arrayContaining(['mutual-exclusion', 'election-safety']));
    expect(result.stats.marks['role.primary']).toBeGreaterThan(1);
    expect(result.stats.marks['lock.granted']).toBeGreaterThan(10);
  });
});
