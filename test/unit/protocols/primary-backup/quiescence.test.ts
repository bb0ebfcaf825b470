/**
 * Quiescence in primary/backup (`quiesce`, set by an embedding protocol that wakes its groups:
 * the cluster), driven through the step functions: an idle group's primary asks its backups to
 * go quiet and stops heartbeating once all have; a backup goes quiet only with the whole log
 * committed and durable; an append or the host's wake brings the group back; a quiet backup
 * refuses to depose its primary, and one that moves to a newer epoch watches for a primary again.
 */
import { describe, expect, it } from 'vitest';
import { createPrimaryBackup } from '../../../../src/protocols/primary-backup/primary-backup.js';
import {
  isQuietPrimary,
  quietPrimaryOf,
  WAKE_TIMER,
} from '../../../../src/protocols/primary-backup/quiescence.js';
import { boot, sent, settle, testContext } from '../../../support/step-harness.js';

const nodes = ['n1', 'n2', 'n3'];
const options = { mode: 'sync', heartbeatMs: 20, electionTimeoutMs: 150, batchMax: 64 } as const;
const p = createPrimaryBackup({ ...options, quiesce: true }, new Set(), nodes);
const noop = { epoch: 1, index: 1, cmd: { f: 'noop' as const } };
type State = ReturnType<typeof p.init>['state'];

const timers = (
  fx: readonly { type: string; name?: unknown }[],
  type: 'setTimer' | 'cancelTimer',
) => fx.flatMap((e) => (e.type === type ? [e.name] : []));
/** A message's optional field (`quiesce`, `quiesced`), undefined when absent. */
const field = (m: object, k: string): unknown => (m as Record<string, unknown>)[k];
/** Each `Replicate` sent: to whom, and whether it asks the backup to go quiet. */
const asked = (fx: readonly Parameters<typeof sent>[0][number][]) =>
  sent(fx).map((m) => [m.to, field(m, 'quiesce')]);

/** n1, primary of epoch 1 with its no-op committed and on both backups: an idle group. */
function idlePrimary(protocol = p) {
  const c = testContext('n1', nodes);
  let s = settle(protocol, c, protocol.onTimer(boot(protocol, c), 'election', c)).state;
  s = settle(
    protocol,
    c,
    protocol.onMessage(s, 'n2', { type: 'Vote', epoch: 1, granted: true }, c),
  ).state;
  for (const from of ['n2', 'n3'])
    s = protocol.onMessage(s, from, { type: 'ReplicateOk', epoch: 1, matchIndex: 1 }, c).state;
  expect(s.commitIndex).toBe(1);
  return { c, s };
}

/** n1, primary of an idle group whose backups both went quiet, its heartbeat lapsed. */
function quietPrimary() {
  const { c, s } = idlePrimary();
  let st = p.onTimer(s, 'heartbeat', c).state;
  const ok = { type: 'ReplicateOk', epoch: 1, matchIndex: 1, quiesced: true } as const;
  for (const from of ['n2', 'n3']) st = p.onMessage(st, from, ok, c).state;
  st = p.onTimer(st, 'heartbeat', c).state;
  expect(isQuietPrimary(st)).toBe(true);
  return { c, s: st };
}

/** n2, a backup of n1 holding the no-op, durable, with commit index `commit`. */
function backup(commit: number) {
  const c = testContext('n2', nodes);
  const m = { type: 'Replicate', epoch: 1, prevIndex: 0, prevEpoch: 0, entries: [noop] } as const;
  const s = settle(p, c, p.onMessage(boot(p, c), 'n1', { ...m, commitIndex: commit }, c)).state;
  return { c, s };
}

const quiesceMsg = {
  type: 'Replicate',
  epoch: 1,
  prevIndex: 1,
  prevEpoch: 1,
  entries: [],
} as const;

describe('primary/backup quiescence', () => {
  it('an idle primary asks each backup to go quiet, and stops heartbeating once all have', () => {
    const { c, s } = idlePrimary();
    const beat = p.onTimer(s, 'heartbeat', c);
    expect(sent(beat.effects).map((m) => [m.to, m.type, field(m, 'quiesce')])).toEqual([
      ['n2', 'Replicate', true],
      ['n3', 'Replicate', true],
    ]);
    let st: State = beat.state;
    const ok = { type: 'ReplicateOk', epoch: 1, matchIndex: 1, quiesced: true } as const;
    st = p.onMessage(st, 'n2', ok, c).state;
    // One backup quiet: the next heartbeat goes to the other only.
    const half = p.onTimer(st, 'heartbeat', c);
    expect(sent(half.effects).map((m) => m.to)).toEqual(['n3']);
    st = p.onMessage(half.state, 'n3', ok, c).state;
    const last = p.onTimer(st, 'heartbeat', c);
    expect(sent(last.effects)).toEqual([]);
    expect(timers(last.effects, 'setTimer')).toEqual([]);
    expect(isQuietPrimary(last.state)).toBe(true);
  });

  it('without the option, an idle primary heartbeats every backup for ever', () => {
    const plain = createPrimaryBackup(options, new Set(), nodes);
    const { c, s } = idlePrimary(plain);
    const beat = plain.onTimer(s, 'heartbeat', c);
    expect(asked(beat.effects)).toEqual([
      ['n2', undefined],
      ['n3', undefined],
    ]);
    expect(timers(beat.effects, 'setTimer')).toEqual(['heartbeat']);
  });

  it('a backup goes quiet only with the whole log committed and durable', () => {
    const behind = backup(0);
    const stale = p.onMessage(
      behind.s,
      'n1',
      { ...quiesceMsg, prevIndex: 0, prevEpoch: 0, commitIndex: 0, quiesce: true },
      behind.c,
    );
    // Its log is longer than the primary's prefix named: not the primary's whole log.
    expect(timers(stale.effects, 'cancelTimer')).toEqual([]);
    expect(field(sent(stale.effects)[0] ?? {}, 'quiesced')).toBeUndefined();

    const { c, s } = backup(0);
    const asked = p.onMessage(s, 'n1', { ...quiesceMsg, commitIndex: 1, quiesce: true }, c);
    expect(timers(asked.effects, 'cancelTimer')).toEqual(['election']);
    expect(sent(asked.effects)).toEqual([
      { to: 'n1', type: 'ReplicateOk', epoch: 1, matchIndex: 1, quiesced: true },
    ]);
    expect(quietPrimaryOf(asked.state)).toBe('n1');
  });

  it('an append wakes the group: the primary heartbeats again, a quiet backup re-arms', () => {
    const { c, s: st } = quietPrimary();
    const req = { id: 7, client: 'c1', seq: 1, op: { f: 'put' as const, key: 'k', value: 'v' } };
    const woke = settle(p, c, p.onRequest(st, req, c));
    expect(timers(woke.effects, 'setTimer')).toContain('heartbeat');
    expect(asked(woke.effects)).toEqual([
      ['n2', undefined],
      ['n3', undefined],
    ]);

    const b = backup(1);
    const quiet = p.onMessage(b.s, 'n1', { ...quiesceMsg, commitIndex: 1, quiesce: true }, b.c);
    const entry = { epoch: 1, index: 2, cmd: { f: 'put' as const, key: 'k', value: 'v' } };
    const busy = p.onMessage(
      quiet.state,
      'n1',
      { ...quiesceMsg, entries: [entry], commitIndex: 1 },
      b.c,
    );
    expect(timers(busy.effects, 'setTimer')).toEqual(['election']);
    expect(quietPrimaryOf(busy.state)).toBeUndefined();
  });

  it("the host's wake: a quiet backup arms its election timer, a quiet primary heartbeats", () => {
    const b = backup(1);
    const quiet = p.onMessage(b.s, 'n1', { ...quiesceMsg, commitIndex: 1, quiesce: true }, b.c);
    const woken = p.onTimer(quiet.state, WAKE_TIMER, b.c);
    expect(timers(woken.effects, 'setTimer')).toEqual(['election']);
    // Woken once: a second wake has nothing to arm.
    expect(timers(p.onTimer(woken.state, WAKE_TIMER, b.c).effects, 'setTimer')).toEqual([]);

    const { c, s: st } = quietPrimary();
    const beat = p.onTimer(st, WAKE_TIMER, c);
    expect(asked(beat.effects)).toEqual([
      ['n2', true],
      ['n3', true],
    ]);
    expect(timers(beat.effects, 'setTimer')).toEqual(['heartbeat']);
  });

  it('a quiet backup keeps its primary against a candidate, and wakes if it moves on', () => {
    const b = backup(1);
    const quiet = p.onMessage(b.s, 'n1', { ...quiesceMsg, commitIndex: 1, quiesce: true }, b.c);
    b.c.now += 10_000_000; // long past any election timeout: only quiescence keeps it sticky
    const vote = { type: 'RequestVote', epoch: 2, lastEpoch: 1, lastIndex: 1 } as const;
    const refused = p.onMessage(quiet.state, 'n3', vote, b.c);
    expect(sent(refused.effects)).toEqual([{ to: 'n3', type: 'Vote', epoch: 1, granted: false }]);

    // A primary's own Replicate of a newer epoch moves it on (the primary was re-elected).
    const newer = { ...quiesceMsg, epoch: 3, prevIndex: 0, prevEpoch: 0, commitIndex: 1 };
    const moved = p.onMessage(refused.state, 'n3', newer, b.c);
    expect(moved.state.epoch).toBe(3);
    expect(timers(moved.effects, 'setTimer')).toContain('election');
  });
});
