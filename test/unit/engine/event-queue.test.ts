import { describe, expect, it } from 'vitest';
import { test, fc } from '@fast-check/vitest';
import { EventQueue } from '../../../src/engine/event-queue.js';

describe('EventQueue', () => {
  it('pops in time order and breaks ties by scheduling order', () => {
    const q = new EventQueue(2);
    q.push(5, 1, 0, 0, 0, 'a');
    q.push(3, 1, 0, 0, 0, 'b');
    q.push(5, 1, 0, 0, 0, 'c');
    q.push(3, 1, 0, 0, 0, 'd');
    q.push(0, 1, 0, 0, 0, 'e');
    const out: unknown[] = [];
    while (q.size > 0) {
      const s = q.pop();
      out.push(q.payload(s));
      q.release(s);
    }
    expect(out).toEqual(['e', 'b', 'd', 'a', 'c']);
  });

  test.prop([
    fc.array(fc.tuple(fc.integer({ min: 0, max: 50 }), fc.integer()), { maxLength: 300 }),
  ])('matches a stable sort by time', (events) => {
    const q = new EventQueue(4);
    events.forEach(([t], i) => {
      q.push(t, 2, i, 0, i, i);
    });
    const popped: number[] = [];
    while (q.size > 0) {
      const s = q.pop();
      popped.push(q.arg(s));
      q.release(s);
    }
    const expected = events
      .map(([t], i) => ({ t, i }))
      .sort((a, b) => a.t - b.t || a.i - b.i)
      .map((x) => x.i);
    expect(popped).toEqual(expected);
  });

  test.prop([
    fc.array(fc.oneof(fc.integer({ min: 0, max: 40 }), fc.constant('pop' as const)), {
      maxLength: 400,
    }),
  ])('pops what a sorted list would, with pushes and pops interleaved', (ops) => {
    const q = new EventQueue(2);
    const model: { t: number; seq: number }[] = [];
    let now = 0;
    let seq = 0;
    for (const op of ops) {
      if (op === 'pop') {
        if (model.length === 0) continue;
        model.sort((a, b) => a.t - b.t || a.seq - b.seq);
        const want = model.shift() as { t: number; seq: number };
        expect(q.peekTime()).toBe(want.t);
        const s = q.pop();
        expect([q.time(s), q.arg(s)]).toEqual([want.t, want.seq]);
        now = want.t;
        q.release(s);
      } else {
        q.push(now + op, 1, 0, 0, seq, undefined);
        model.push({ t: now + op, seq: seq++ });
      }
      expect(q.size).toBe(model.length);
    }
  });

  it('keeps fields of a slot intact across growth and reuse', () => {
    const q = new EventQueue(1);
    for (let i = 0; i < 100; i++) q.push(100 - i, i % 7, i, i * 2, i * 3, { i });
    let prev = -1;
    while (q.size > 0) {
      const s = q.pop();
      const t = q.time(s);
      expect(t).toBeGreaterThanOrEqual(prev);
      prev = t;
      const i = q.target(s);
      expect(q.kind(s)).toBe(i % 7);
      expect(q.incarnation(s)).toBe(i * 2);
      expect(q.arg(s)).toBe(i * 3);
      expect(q.payload(s)).toEqual({ i });
      q.release(s);
    }
  });
});
