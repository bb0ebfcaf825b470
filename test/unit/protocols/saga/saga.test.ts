/**
 * The saga's rules, driven through the step functions directly (no world): the orchestrator
 * logs BEGIN before the first step and each answer before acting on it, runs the steps in order
 * and, after a refusal, the compensations in reverse order; it retries a command with growing
 * backoff and, after a restart, carries each saga on from its log; a service applies each step
 * and compensation once per (saga id, step), answers only once durable, and recovers its
 * ledger. Each named bug breaks exactly its rule.
 */
import { describe, expect, it } from 'vitest';
import type { ClientRequest } from '../../../../src/core/protocol.js';
import type { SagaInput } from '../../../../src/core/saga-ops.js';
import type { SagaMessage } from '../../../../src/protocols/saga/messages.js';
import { createSaga } from '../../../../src/protocols/saga/saga.js';
import type { SagaState, ServiceState } from '../../../../src/protocols/saga/saga-state.js';
import {
  boot,
  marks,
  replies,
  sent,
  settle,
  type TestContext,
  testContext,
} from '../../../support/step-harness.js';

const nodes = ['n1', 'n2', 'n3', 'n4'];
const OPTIONS = { retryMs: 10, retryMaxMs: 40 };
type Saga = ReturnType<typeof createSaga>;
type Fx = Parameters<typeof sent>[0];

const ctx = (node: string): TestContext => testContext(node, nodes);
const saga = (...bugs: string[]) => createSaga(OPTIONS, new Set(bugs), nodes);
const msgs = (effects: Fx, type: SagaMessage['type']) =>
  sent(effects as never).filter((m) => (m as unknown as SagaMessage).type === type) as ({
    to: string;
  } & SagaMessage)[];
const book = (id: number, unavailable?: 'flight' | 'hotel' | 'car'): ClientRequest<SagaInput> => ({
  id,
  client: 'c1',
  seq: id,
  op:
    unavailable === undefined ? { f: 'book', saga: 's1' } : { f: 'book', saga: 's1', unavailable },
});
const done = (applied: boolean): SagaMessage => ({ type: 'StepDone', saga: 's1', applied });
const compensated: SagaMessage = { type: 'Compensated', saga: 's1' };
const step = (order: number): SagaMessage => ({
  type: 'Step',
  saga: 's1',
  order,
  unavailable: false,
});
const compensate = (order: number): SagaMessage => ({ type: 'Compensate', saga: 's1', order });

/** Drives the orchestrator through a saga: each answer in turn; returns every command sent. */
function run(p: Saga, c: TestContext, answers: readonly SagaMessage[], unavailable?: 'car') {
  let r = settle(p, c, p.onRequest(boot(p, c), book(1, unavailable), c));
  const commands = [...msgs(r.effects, 'Step'), ...msgs(r.effects, 'Compensate')];
  const from = (m: { to: string }) => m.to;
  for (const a of answers) {
    const last = commands[commands.length - 1] as { to: string };
    r = settle(p, c, p.onMessage(r.state, from(last), a, c));
    commands.push(...msgs(r.effects, 'Step'), ...msgs(r.effects, 'Compensate'));
  }
  return { state: r.state, effects: r.effects, commands };
}

describe('saga: the orchestrator', () => {
  it('logs BEGIN before it sends the first step', () => {
    const p = saga();
    const c = ctx('n1');
    const held = settle(p, c, p.onRequest(boot(p, c), book(1), c), { syncs: false });
    expect(msgs(held.effects, 'Step')).toEqual([]);
    const go = settle(p, c, p.onDiskDone(held.state, held.pending[0]!, c));
    expect(msgs(go.effects, 'Step')).toMatchObject([{ to: 'n2', saga: 's1', order: 1 }]);
  });

  it('runs the steps in order and answers the client once END is durable', () => {
    const { effects, commands } = run(saga(), ctx('n1'), [done(true), done(true), done(true)]);
    expect(commands.map((m) => [m.type, m.to])).toEqual([
      ['Step', 'n2'],
      ['Step', 'n3'],
      ['Step', 'n4'],
    ]);
    expect(replies(effects)).toMatchObject([
      { requestId: 1, outcome: { type: 'ok', value: { outcome: 'completed' } } },
    ]);
  });

  it('after a refused step, compensates the applied steps in reverse order', () => {
    const answers = [done(true), done(true), done(false), compensated, compensated];
    const { effects, commands } = run(saga(), ctx('n1'), answers, 'car');
    expect(commands.map((m) => [m.type, m.to, (m as { order: number }).order])).toEqual([
      ['Step', 'n2', 1],
      ['Step', 'n3', 2],
      ['Step', 'n4', 3],
      ['Compensate', 'n3', 4],
      ['Compensate', 'n2', 5],
    ]);
    expect(replies(effects)).toMatchObject([{ outcome: { value: { outcome: 'compensated' } } }]);
  });

  it('with forward-compensation, compensates the first step first', () => {
    const answers = [done(true), done(true), done(false), compensated, compensated];
    const { commands } = run(saga('saga.forward-compensation'), ctx('n1'), answers, 'car');
    expect(commands.slice(3).map((m) => m.to)).toEqual(['n2', 'n3']);
  });

  it('retries an unanswered command with the same order number, waiting longer each time', () => {
    const p = saga();
    const c = ctx('n1');
    let s: SagaState = run(p, c, []).state;
    const waits: number[] = [];
    for (let i = 0; i < 4; i++) {
      const r = p.onTimer(s, 'retry:s1', c);
      s = r.state;
      expect(msgs(r.effects as Fx, 'Step')).toMatchObject([{ to: 'n2', order: 1 }]);
      const timer = r.effects.find((e) => e.type === 'setTimer') as { afterUs: number };
      waits.push(timer.afterUs);
      expect(marks(r.effects as never)).toContain('saga.retry');
    }
    // 20, 40, 40, 40 ms (capped at retryMaxMs) plus up to 5 ms of seeded jitter.
    expect(waits.map((w) => Math.floor(w / 10_000))).toEqual([2, 4, 4, 4]);
  });

  it('after a restart, carries a saga on from its log and re-sends the command in flight', () => {
    const p = saga();
    const c = ctx('n1');
    run(p, c, [done(true), done(true), done(false)], 'car');
    const r = settle(p, c, p.onRecover(c));
    expect(marks(r.effects as never)).toContain('saga.orchestrator-recovered');
    expect(msgs(r.effects, 'Compensate')).toMatchObject([{ to: 'n3', order: 4 }]);
    const again = settle(p, c, p.onMessage(r.state, 'n3', compensated, c));
    expect(msgs(again.effects, 'Compensate')).toMatchObject([{ to: 'n2', order: 5 }]);
  });

  it('a client asking again about an ended saga hears how it ended, and nothing runs twice', () => {
    const p = saga();
    const c = ctx('n1');
    const { state } = run(p, c, [done(true), done(true), done(true)]);
    const again = settle(p, c, p.onRequest(state, book(7), c));
    expect(msgs(again.effects, 'Step')).toEqual([]);
    expect(replies(again.effects)).toMatchObject([
      { requestId: 7, outcome: { value: { outcome: 'completed' } } },
    ]);
  });
});

describe('saga: a service', () => {
  const ledgerOf = (s: SagaState) => (s as ServiceState).ledger.map((e) => [e[1], e[2]]);

  it('answers a step only once its booking is durable, and books it once however often asked', () => {
    const p = saga();
    const c = ctx('n3');
    const held = settle(p, c, p.onMessage(boot(p, c), 'n1', step(2), c), { syncs: false });
    expect(msgs(held.effects, 'StepDone')).toEqual([]);
    const dup = settle(p, c, p.onMessage(held.state, 'n1', step(2), c));
    expect(msgs(dup.effects, 'StepDone')).toEqual([]);
    const ok = settle(p, c, p.onDiskDone(dup.state, held.pending[0]!, c));
    expect(msgs(ok.effects, 'StepDone')).toMatchObject([{ to: 'n1', applied: true }]);
    const late = settle(p, c, p.onMessage(ok.state, 'n1', step(2), c));
    expect(msgs(late.effects, 'StepDone')).toMatchObject([{ applied: true }]);
    expect(ledgerOf(late.state)).toEqual([['book', 2]]);
  });

  it('refuses a step it has nothing for, by design, and books nothing', () => {
    const p = saga();
    const c = ctx('n4');
    const m: SagaMessage = { type: 'Step', saga: 's1', order: 3, unavailable: true };
    const r = settle(p, c, p.onMessage(boot(p, c), 'n1', m, c));
    expect(msgs(r.effects, 'StepDone')).toMatchObject([{ applied: false }]);
    expect(ledgerOf(r.state)).toEqual([]);
  });

  it('applies a compensation once; with non-idempotent-compensation, on every delivery', () => {
    for (const [bugs, cancels, held] of [
      [[], 1, 0],
      [['saga.non-idempotent-compensation'], 2, -1],
    ] as const) {
      const p = saga(...bugs);
      const c = ctx('n2');
      const booked = settle(p, c, p.onMessage(boot(p, c), 'n1', step(1), c));
      const once = settle(p, c, p.onMessage(booked.state, 'n1', compensate(4), c));
      expect(msgs(once.effects, 'Compensated')).toMatchObject([{ to: 'n1' }]);
      const twice = settle(p, c, p.onMessage(once.state, 'n1', compensate(4), c));
      expect(msgs(twice.effects, 'Compensated')).toMatchObject([{ to: 'n1' }]);
      const s = twice.state as ServiceState;
      expect(s.ledger.filter((e) => e[1] === 'cancel')).toHaveLength(cancels);
      expect(s.held).toBe(held);
    }
  });

  it('recovers its ledger and bookings from its log, and still applies each command once', () => {
    const p = saga();
    const c = ctx('n2');
    const booked = settle(p, c, p.onMessage(boot(p, c), 'n1', step(1), c));
    settle(p, c, p.onMessage(booked.state, 'n1', compensate(4), c));
    const r = settle(p, c, p.onRecover(c));
    expect(ledgerOf(r.state)).toEqual([
      ['book', 1],
      ['cancel', 4],
    ]);
    const dup = settle(p, c, p.onMessage(r.state, 'n1', compensate(4), c));
    expect(ledgerOf(dup.state)).toHaveLength(2);
    expect((dup.state as ServiceState).held).toBe(0);
  });
});
