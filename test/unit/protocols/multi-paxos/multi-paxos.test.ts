/**
 * Multi-Paxos's rules, driven through the step functions directly (no world): an acceptor
 * promises for every slot at once and answers only once that is durable, reporting every
 * acceptance from the candidate's first open slot; it accepts only what no higher promise
 * forbids and raises its promise on accept; a new leader re-proposes the highest-ballot
 * acceptance of each open slot and fills a slot nobody accepted with a no-op; a lease keeps an
 * acceptor from promising another leader, across a restart too; a retried command is answered
 * from its session; and each named bug breaking exactly its rule.
 */
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { KvInput } from '../../../../src/core/history.js';
import type { ClientRequest } from '../../../../src/core/protocol.js';
import { ballotOf } from '../../../../src/protocols/paxos/ballot.js';
import { runSeed } from '../../../../src/run/run-seed.js';
import { loadScenario } from '../../../../src/runner/load-scenario.js';
import type {
  AcceptedEntry,
  Command,
  MultiPaxosMessage,
} from '../../../../src/protocols/multi-paxos/messages.js';
import { createMultiPaxos } from '../../../../src/protocols/multi-paxos/multi-paxos.js';
import type { MultiPaxosOptions } from '../../../../src/protocols/multi-paxos/multi-paxos-config.js';
import type { MultiPaxosState } from '../../../../src/protocols/multi-paxos/multi-paxos-state.js';
import {
  boot,
  marks,
  replies,
  sent,
  settle,
  type TestContext,
  testContext,
} from '../../../support/step-harness.js';

const nodes = ['n1', 'n2', 'n3'];
const OPTIONS: MultiPaxosOptions = {
  heartbeatMs: 20,
  electionTimeoutMs: 150,
  leaseMs: 100,
  reads: 'quorum',
  batchMax: 64,
  snapshotEvery: 256,
};
type MultiPaxos = ReturnType<typeof createMultiPaxos>;

const ctx = (node: string): TestContext => testContext(node, nodes);
const mp = (options: Partial<MultiPaxosOptions> = {}, ...bugs: string[]) =>
  createMultiPaxos({ ...OPTIONS, ...options }, new Set(bugs), nodes);
const cmd = (client: string, seq: number, value: string): Command => ({
  cmd: { f: 'append', key: 'k', value },
  client,
  seq,
  id: `${client}#${seq}`,
});
const accept = (ballot: number, slot: number, command: Command): MultiPaxosMessage => ({
  type: 'Accept',
  ballot,
  slot,
  command,
  chosenTo: 0,
});
const promise = (ballot: number, accepted: AcceptedEntry[]): MultiPaxosMessage => ({
  type: 'Promise',
  ballot,
  accepted,
  chosen: [],
  snapshot: null,
});

/** Every message of one type among a step's sends. */
const ofType = <T extends MultiPaxosMessage['type']>(
  effects: Parameters<typeof sent>[0],
  type: T,
) =>
  sent(effects as never).filter((m) => (m as unknown as MultiPaxosMessage).type === type) as ({
    to: string;
  } & Extract<MultiPaxosMessage, { type: T }>)[];

/** Delivers `m` from `from` and completes every disk operation. */
function deliver(
  p: MultiPaxos,
  c: TestContext,
  s: MultiPaxosState,
  from: string,
  m: MultiPaxosMessage,
) {
  return settle(p, c, p.onMessage(s, from, m, c));
}

/** n1 stands for election and gets its own Prepare's ballot. */
function candidate(p: MultiPaxos, c: TestContext) {
  const s = boot(p, c);
  const r = settle(p, c, p.onTimer(s, 'election', c));
  const prepares = ofType(r.effects, 'Prepare');
  expect(prepares.map((m) => m.to)).toEqual(nodes);
  return { s: r.state, ballot: (prepares[0] as { ballot: number }).ballot };
}

describe('multi-paxos: the acceptor', () => {
  it('promises once the promise is fsynced, reporting every acceptance from `from` on', () => {
    const p = mp();
    const c = ctx('n2');
    let s = boot(p, c);
    s = deliver(p, c, s, 'n1', accept(ballotOf(1, 0), 1, cmd('c1', 1, 'a'))).state;
    s = deliver(p, c, s, 'n1', accept(ballotOf(1, 0), 2, cmd('c1', 2, 'b'))).state;
    // Past the lease n1's Accepts granted, which would refuse n3.
    c.now += 200_000;
    const held = settle(
      p,
      c,
      p.onMessage(s, 'n3', { type: 'Prepare', ballot: ballotOf(2, 2), from: 2 }, c),
      { syncs: false },
    );
    expect(ofType(held.effects, 'Promise')).toEqual([]);
    const done = settle(p, c, p.onDiskDone(held.state, held.pending[0]!, c));
    const [pr] = ofType(done.effects, 'Promise');
    expect(pr?.to).toBe('n3');
    expect(pr?.accepted).toEqual([[2, ballotOf(1, 0), cmd('c1', 2, 'b')]]);
  });

  it('refuses an Accept below its promise, and an Accept raises the promise', () => {
    const p = mp();
    const c = ctx('n2');
    let s = boot(p, c);
    s = deliver(p, c, s, 'n3', accept(ballotOf(3, 2), 1, cmd('c1', 1, 'a'))).state;
    expect(s.promised).toBe(ballotOf(3, 2));
    const r = deliver(p, c, s, 'n1', accept(ballotOf(2, 0), 2, cmd('c1', 2, 'b')));
    expect(ofType(r.effects, 'Nack')).toEqual([
      { to: 'n1', type: 'Nack', ballot: ballotOf(2, 0), promised: ballotOf(3, 2) },
    ]);
    expect(r.state.accepted.has(2)).toBe(false);
  });

  it('with reply-before-durable, answers an Accept before the fsync', () => {
    const p = mp({}, 'multi-paxos.reply-before-durable');
    const c = ctx('n2');
    const s = boot(p, c);
    const held = settle(
      p,
      c,
      p.onMessage(s, 'n1', accept(ballotOf(1, 0), 1, cmd('c1', 1, 'a')), c),
      {
        syncs: false,
      },
    );
    expect(ofType(held.effects, 'Accepted').map((m) => m.to)).toEqual(['n1']);
  });

  it('under a lease it promises no other candidate, and after a restart none at all', () => {
    const p = mp({ reads: 'lease' });
    const c = ctx('n2');
    let s = boot(p, c);
    const commit = { type: 'Commit', ballot: ballotOf(1, 0), chosenTo: 0, probe: 1 } as const;
    s = deliver(p, c, s, 'n1', commit).state;
    const prepare = { type: 'Prepare', ballot: ballotOf(2, 2), from: 1 } as const;
    c.now += 50_000;
    expect(ofType(deliver(p, c, s, 'n3', prepare).effects, 'Nack')).toHaveLength(1);
    c.now += 60_000;
    expect(ofType(deliver(p, c, s, 'n3', prepare).effects, 'Promise')).toHaveLength(1);
    // A restart forgets whom the lease was for: nobody gets a promise for a lease's length.
    const r = settle(p, c, p.onRecover(c));
    expect(
      ofType(deliver(p, c, r.state, 'n3', { ...prepare, ballot: ballotOf(3, 2) }).effects, 'Nack'),
    ).toHaveLength(1);
  });
});

describe('multi-paxos: a new leader', () => {
  it('re-proposes the highest-ballot acceptance of each open slot and fills gaps with no-ops', () => {
    const p = mp();
    const c = ctx('n1');
    const { s, ballot } = candidate(p, c);
    let r = deliver(
      p,
      c,
      s,
      'n2',
      promise(ballot, [
        [1, 5, cmd('c1', 1, 'old')],
        [3, 9, cmd('c2', 1, 'x')],
      ]),
    );
    r = deliver(p, c, r.state, 'n3', promise(ballot, [[1, 7, cmd('c1', 2, 'new')]]));
    expect(r.state.role.kind).toBe('leader');
    expect(marks(r.effects)).toContain('multi-paxos.noop-fill');
    const accepts = ofType(r.effects, 'Accept').filter((m) => m.to === 'n2');
    expect(accepts.map((m) => [m.slot, m.command.id])).toEqual([
      [1, 'c1#2'],
      [2, 'noop'],
      [3, 'c2#1'],
    ]);
  });

  it('with ignore-promised-values, fills every open slot with a no-op', () => {
    const p = mp({}, 'multi-paxos.ignore-promised-values');
    const c = ctx('n1');
    const { s, ballot } = candidate(p, c);
    let r = deliver(p, c, s, 'n2', promise(ballot, [[1, 5, cmd('c1', 1, 'a')]]));
    r = deliver(p, c, r.state, 'n3', promise(ballot, []));
    const accepts = ofType(r.effects, 'Accept').filter((m) => m.to === 'n2');
    expect(accepts.map((m) => [m.slot, m.command.id])).toEqual([[1, 'noop']]);
  });

  it('never reuses a ballot after a restart', () => {
    const p = mp();
    const c = ctx('n1');
    const { ballot } = candidate(p, c);
    const r = settle(p, c, p.onRecover(c));
    const again = settle(p, c, p.onTimer(r.state, 'election', c));
    const [pr] = ofType(again.effects, 'Prepare');
    expect(pr?.ballot).toBeGreaterThan(ballot);
  });

  it('answers a retried write from its client session, applying it once', () => {
    const p = mp();
    const c = ctx('n1');
    const { s, ballot } = candidate(p, c);
    let st = deliver(p, c, s, 'n2', promise(ballot, [])).state;
    st = deliver(p, c, st, 'n3', promise(ballot, [])).state;
    const write: ClientRequest<KvInput> = {
      id: 10,
      client: 'c1',
      seq: 1,
      op: { f: 'append', key: 'k', value: 'v' },
    };
    st = settle(p, c, p.onRequest(st, write, c)).state;
    st = deliver(p, c, st, 'n1', accept(ballot, 1, cmd('c1', 1, 'v'))).state;
    st = deliver(p, c, st, 'n2', { type: 'Accepted', ballot, slot: 1 }).state;
    const chosen = deliver(p, c, st, 'n1', { type: 'Accepted', ballot, slot: 1 });
    expect(replies(chosen.effects).map((x) => x.outcome)).toEqual([{ type: 'ok', value: 'v' }]);
    const retry = settle(p, c, p.onRequest(chosen.state, { ...write, id: 11 }, c));
    expect(replies(retry.effects).map((x) => x.outcome)).toEqual([{ type: 'ok', value: 'v' }]);
    expect(retry.state.sm.get('k')).toBe('v');
    expect(ofType(retry.effects, 'Accept')).toEqual([]);
  });
});

describe('multi-paxos: a gap in a real run', () => {
  it('multi-paxos-crash seed 84 fills a gap with a no-op and stays valid', async () => {
    // Gaps are rare (one seed in the first 150 of this class): this pins one, so the no-op
    // fill is known to run, checkers on, in a world and not only in a hand-made step.
    const { scenario } = await loadScenario(
      fileURLToPath(new URL('../../../../scenarios/multi-paxos-crash.yaml', import.meta.url)),
    );
    const { result } = runSeed(scenario, 84);
    expect(result.stats.marks['multi-paxos.noop-fill']).toBeGreaterThan(0);
    expect(result.verdict).toBe('valid');
  });
});
