/**
 * Rules of the crdt protocol (delta-state anti-entropy, Almeida, Shoker, Baquero 2018, with
 * durability before acknowledgement), driven through the step functions with the shared step
 * harness: an update is answered and gossiped only once durable; a peer's delta is merged,
 * acknowledged and passed on; a delta that would leave a causal gap is refused with a request for
 * the whole state; a restarted replica ships its whole state and its peers forget what its old
 * life acknowledged; and the named bugs change exactly these rules.
 */
import { describe, expect, it } from 'vitest';
import type { ClientRequest } from '../../../../src/core/protocol.js';
import type { ReplicatedInput } from '../../../../src/core/replicated-ops.js';
import { createCrdt } from '../../../../src/protocols/crdt/crdt.js';
import type { CrdtState } from '../../../../src/protocols/crdt/crdt-state.js';
import type { DeltaMessage } from '../../../../src/protocols/crdt/messages.js';
import { pnCounter } from '../../../../src/components/crdt/pn-counter.js';
import {
  boot,
  marks,
  replies,
  sent,
  settle,
  testContext,
  type TestContext,
} from '../../../support/step-harness.js';

const nodes = ['n1', 'n2', 'n3'];
const options = { type: 'pn-counter', intervalMs: 20, fanout: 2, bufferMax: 256 };
const counter = pnCounter();
const make = (bugs: string[] = []) => createCrdt(options, new Set(bugs), nodes);

let nextId = 1;
const request = (op: ReplicatedInput): ClientRequest<ReplicatedInput> => {
  const id = nextId++;
  return { id, client: 'c1', seq: id, op };
};

/** The deltas a gossip round sends, with their value decoded. */
function gossip(p: ReturnType<typeof make>, s: CrdtState, c: TestContext) {
  const step = p.onTimer(s, 'gossip', c);
  const out = sent(step.effects) as (DeltaMessage & { to: string })[];
  return {
    state: step.state,
    effects: step.effects,
    deltas: out.map((m) => ({ ...m, value: counter.value(counter.decode(m.state)) })),
  };
}

describe('crdt protocol rules', () => {
  it('answers an update and ships it only once its WAL record is durable', () => {
    const p = make();
    const c = testContext('n1', nodes);
    const s = boot(p, c);
    const step = settle(p, c, p.onRequest(s, request({ f: 'inc', by: 2 }), c), { syncs: false });
    expect(replies(step.effects)).toEqual([]);
    const before = gossip(p, step.state, c);
    expect(before.deltas.map((d) => d.value)).toEqual([0, 0]);
    const durable = p.onDiskDone(before.state, step.pending[0]!, c);
    expect(replies(durable.effects).map((r) => r.outcome)).toEqual([{ type: 'ok', value: null }]);
    expect(gossip(p, durable.state, c).deltas.map((d) => d.value)).toEqual([2, 2]);
  });

  it('with crdt.ack-before-fsync, answers while the update is in the page cache only', () => {
    const p = make(['crdt.ack-before-fsync']);
    const c = testContext('n1', nodes);
    const s = boot(p, c);
    const step = settle(p, c, p.onRequest(s, request({ f: 'inc', by: 1 }), c), { syncs: false });
    expect(replies(step.effects).map((r) => r.outcome.type)).toEqual(['ok']);
    expect(step.pending).toHaveLength(1);
  });

  it('after a failed fsync writes the update again, and answers only once that is durable', () => {
    const p = make();
    const c = testContext('n1', nodes);
    const s = boot(p, c);
    const step = settle(p, c, p.onRequest(s, request({ f: 'inc', by: 4 }), c), { syncs: false });
    const failed = p.onDiskDone(step.state, { ...step.pending[0]!, ok: false }, c);
    expect(replies(failed.effects)).toEqual([]);
    expect(marks(failed.effects)).toEqual(['crdt.fsync-failed']);
    const rewrite = failed.effects.filter((e) => e.type === 'diskWrite');
    expect(rewrite).toHaveLength(1);
    const again = settle(p, c, failed);
    expect(replies(again.effects).map((r) => r.outcome)).toEqual([{ type: 'ok', value: null }]);
    c.disk.crash();
    const back = settle(p, c, p.onRecover(c)).state;
    expect(counter.value(back.replica as never)).toBe(4);
  });

  it('merges a peer’s whole state, acknowledges it, and passes its updates on', () => {
    const p = make();
    const [c1, c2] = [testContext('n1', nodes), testContext('n2', nodes)];
    let s1 = boot(p, c1);
    s1 = settle(p, c1, p.onRequest(s1, request({ f: 'inc', by: 5 }), c1)).state;
    const toN2 = gossip(p, s1, c1).deltas.find((d) => d.to === 'n2')!;
    expect(toN2.from).toBeNull();
    const s2 = boot(p, c2);
    const got = settle(p, c2, p.onMessage(s2, 'n1', toN2, c2));
    expect(sent(got.effects)).toEqual([
      { to: 'n1', type: 'Ack', boot: 1, yourBoot: 1, upTo: toN2.upTo },
    ]);
    const onward = gossip(p, got.state, c2).deltas;
    expect(onward.find((d) => d.to === 'n3')?.value).toBe(5);
    const acked = p.onMessage(s1, 'n2', { type: 'Ack', boot: 1, yourBoot: 1, upTo: 1 }, c1);
    expect(gossip(p, acked.state, c1).deltas.map((d) => d.to)).toEqual(['n3']);
  });

  it('refuses a delta that starts past what it merged, and asks for the whole state', () => {
    const p = make();
    const c2 = testContext('n2', nodes);
    const s2 = boot(p, c2);
    const gap: DeltaMessage = {
      type: 'Delta',
      boot: 1,
      from: 3,
      upTo: 4,
      state: counter.encode(counter.apply(counter.empty(), { f: 'inc' }, { node: 'n1' }).delta),
      applied: [['n1', 4]],
      hlc: { l: 0, c: 0 },
    };
    const step = p.onMessage(s2, 'n1', gap, c2);
    expect(sent(step.effects)).toEqual([
      { to: 'n1', type: 'Ack', boot: 1, yourBoot: 1, upTo: null },
    ]);
    expect(marks(step.effects)).toEqual(['crdt.causal-gap-refused']);
    expect(counter.value(step.state.replica as never)).toBe(0);
  });

  it('after a restart ships its whole state first, and peers forget its old acknowledgements', () => {
    const p = make();
    const [c1, c2] = [testContext('n1', nodes), testContext('n2', nodes)];
    let s1 = boot(p, c1);
    s1 = settle(p, c1, p.onRequest(s1, request({ f: 'inc', by: 3 }), c1)).state;
    s1 = p.onMessage(s1, 'n2', { type: 'Ack', boot: 1, yourBoot: 1, upTo: 1 }, c1).state;
    s1 = p.onMessage(s1, 'n3', { type: 'Ack', boot: 1, yourBoot: 1, upTo: 1 }, c1).state;
    expect(gossip(p, s1, c1).deltas).toEqual([]);
    c1.disk.crash();
    const refused = p.onRequest(p.onRecover(c1).state, request({ f: 'read' }), c1);
    expect(replies(refused.effects).map((r) => r.outcome)).toEqual([
      { type: 'fail', code: 'not-ready' },
    ]);
    const back = settle(p, c1, p.onRecover(c1)).state;
    expect(back.boot).toBe(2);
    const again = gossip(p, back, c1).deltas;
    expect(again.map((d) => [d.to, d.from, d.value])).toEqual([
      ['n2', null, 3],
      ['n3', null, 3],
    ]);
    // n2 learns of life 2: what life 1 acknowledged no longer counts, and life 1 is ignored.
    let s2 = boot(p, c2);
    s2 = settle(p, c2, p.onRequest(s2, request({ f: 'dec', by: 1 }), c2)).state;
    s2 = p.onMessage(s2, 'n1', { type: 'Ack', boot: 1, yourBoot: 1, upTo: 1 }, c2).state;
    expect(gossip(p, s2, c2).deltas.map((d) => d.to)).toEqual(['n3']);
    s2 = p.onMessage(s2, 'n1', { type: 'Ack', boot: 2, yourBoot: 1, upTo: null }, c2).state;
    expect(gossip(p, s2, c2).deltas.map((d) => [d.to, d.from])).toEqual([
      ['n1', null],
      ['n3', null],
    ]);
    const stale = p.onMessage(s2, 'n1', { ...again[0]!, boot: 1 }, c2);
    expect(stale.effects).toEqual([]);
  });

  it('with crdt.reset-delta-on-send, forgets a delta group the moment it is sent', () => {
    const p = make(['crdt.reset-delta-on-send']);
    const c1 = testContext('n1', nodes);
    let s1 = boot(p, c1);
    s1 = settle(p, c1, p.onRequest(s1, request({ f: 'inc', by: 1 }), c1)).state;
    const first = gossip(p, s1, c1);
    expect(first.deltas).toHaveLength(2);
    expect(gossip(p, first.state, c1).deltas).toEqual([]);
  });
});
