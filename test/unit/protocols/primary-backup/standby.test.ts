/**
 * Hot standbys in primary/backup (`standbys`, set by an embedding protocol: the cluster's
 * active-backup recovery), driven through the step functions: a standby is sent every entry
 * but a sync primary commits without it, it never stands for election when it stops hearing
 * the primary, and its vote is not counted towards a majority.
 */
import { describe, expect, it } from 'vitest';
import { createPrimaryBackup } from '../../../../src/protocols/primary-backup/primary-backup.js';
import { boot, marks, replies, sends, settle, testContext } from '../../../support/step-harness.js';

const nodes = ['n1', 'n2', 'n3', 'n4'];
const options = { mode: 'sync', heartbeatMs: 20, electionTimeoutMs: 150, batchMax: 64 } as const;
const p = createPrimaryBackup({ ...options, standbys: ['n4'] }, new Set(), nodes);

/** n1 made primary of epoch 1 by n2's vote (two of the three voters). */
function primary() {
  const c = testContext('n1', nodes);
  const s = boot(p, c);
  const stood = settle(p, c, p.onTimer(s, 'election', c));
  const won = settle(
    p,
    c,
    p.onMessage(stood.state, 'n2', { type: 'Vote', epoch: 1, granted: true }, c),
  );
  expect(won.state.role.kind).toBe('primary');
  return { c, s: won.state };
}

describe('primary/backup hot standbys', () => {
  it('a sync primary commits once every voter has an entry, without waiting for the standby', () => {
    const { c, s } = primary();
    const req = { id: 7, client: 'c1', seq: 1, op: { f: 'put' as const, key: 'k', value: 'v' } };
    const appended = settle(p, c, p.onRequest(s, req, c));
    // The standby is sent the entries as the voters are.
    expect(sends(appended.effects).map((e) => e.to)).toEqual(
      expect.arrayContaining(['n2', 'n3', 'n4']),
    );
    let st = appended.state;
    for (const from of ['n2', 'n3'])
      st = p.onMessage(st, from, { type: 'ReplicateOk', epoch: 1, matchIndex: 2 }, c).state;
    expect(st.commitIndex).toBe(2);
  });

  it('without a voter the primary does not commit, however many standbys acknowledge', () => {
    const { c, s } = primary();
    const req = { id: 7, client: 'c1', seq: 1, op: { f: 'put' as const, key: 'k', value: 'v' } };
    let st = settle(p, c, p.onRequest(s, req, c)).state;
    const acks = [];
    for (const from of ['n2', 'n4']) {
      const step = p.onMessage(st, from, { type: 'ReplicateOk', epoch: 1, matchIndex: 2 }, c);
      acks.push(...replies(step.effects));
      st = step.state;
    }
    expect(st.commitIndex).toBe(0);
    expect(acks).toEqual([]);
  });

  it('a standby never stands for election', () => {
    const c = testContext('n4', nodes);
    const s = boot(p, c);
    const fired = p.onTimer(s, 'election', c);
    expect(fired.state.epoch).toBe(0);
    expect(fired.state.role.kind).toBe('backup');
    expect(marks(fired.effects)).not.toContain('fd.suspect');
    expect(fired.effects.some((e) => e.type === 'setTimer' && e.name === 'election')).toBe(true);
  });

  it("a standby's vote is not counted", () => {
    const c = testContext('n1', nodes);
    const s = boot(p, c);
    const stood = settle(p, c, p.onTimer(s, 'election', c));
    const v = p.onMessage(stood.state, 'n4', { type: 'Vote', epoch: 1, granted: true }, c);
    expect(v.state.role.kind).toBe('candidate');
  });
});
