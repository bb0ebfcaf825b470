/**
 * One pinned sentence per model: a small violation whose reason is plain, the sentence the
 * evidence gives for it, and the window and longest linearization it names.
 */
import { describe, expect, it } from 'vitest';
import { checkLinearizable } from '../../../../src/checkers/linearizability/check.js';
import { findModel } from '../../../../src/checkers/linearizability/models/index.js';
import type { LinOp } from '../../../../src/checkers/linearizability/types.js';

let nextId = 0;
const op = (
  client: string,
  input: unknown,
  output: unknown,
  call: number,
  ret: number,
  unknown = false,
): LinOp => ({ id: nextId++, client, input, output, unknown, call, ret: unknown ? Infinity : ret });
const ms = (t: number) => `${(t / 1000).toFixed(1)} ms`;

function sentenceOf(model: string, ops: LinOp[]): string {
  const r = checkLinearizable(ops, findModel(model)!, { formatTime: ms });
  expect(r.verdict).toBe('violation');
  const ev = r.evidence!;
  expect(ev.windowIds).toContain(ev.culprit.id);
  expect(ev.longestLinearization.length).toBeGreaterThan(0);
  return ev.sentence;
}

describe('evidence sentences, one per model', () => {
  it('register: a read of a value overwritten before it began', () => {
    const s = sentenceOf('register', [
      op('a', { f: 'write', value: 1 }, {}, 1000, 2000),
      op('b', { f: 'write', value: 2 }, {}, 3000, 3900),
      op('c', { f: 'read' }, { value: 1 }, 4000, 4200),
    ]);
    expect(s).toBe(
      'read() returned 1 at 4.2 ms, but write(2) completed at 3.9 ms and nothing that could come after it wrote 1',
    );
  });

  it('cas-register: a cas that failed although the register certainly held its `from`', () => {
    const s = sentenceOf('cas-register', [
      op('a', { f: 'write', value: 3 }, {}, 1000, 2000),
      op('b', { f: 'cas', from: 3, to: 4 }, { ok: false }, 3000, 3500),
    ]);
    expect(s).toBe(
      'cas(3→4) failed at 3.5 ms, so the register did not hold 3; but write(3) completed at 2.0 ms and nothing that could come after it wrote anything else',
    );
  });

  it('kv: a get that misses an append that completed before it began', () => {
    const s = sentenceOf('kv', [
      op('a', { f: 'append', key: 'x', value: 'p' }, '', 1000, 2000),
      op('b', { f: 'get', key: 'x' }, '', 3000, 3300),
    ]);
    expect(s).toBe(
      'get(x) returned "" at 3.3 ms, but append(x, "p") completed at 2.0 ms and the value returned does not contain it (key x)',
    );
  });

  it('kv-list: a get with two appends in the wrong order', () => {
    const s = sentenceOf('kv-list', [
      op('a', { f: 'append', key: 'x', value: 'p' }, null, 1000, 2000),
      op('b', { f: 'append', key: 'x', value: 'q' }, null, 2500, 2800),
      op('c', { f: 'get', key: 'x' }, 'q p', 3000, 3300),
    ]);
    expect(s).toBe(
      'get(x) returned "q p" at 3.3 ms, but append(x, "p") completed at 2.0 ms before append(x, "q") began at 2.5 ms, and the value returned has them the other way round (key x)',
    );
  });

  it('counter: a read below what the adds completed before it already sum to', () => {
    const s = sentenceOf('counter', [
      op('a', { f: 'add', value: 2 }, {}, 1000, 2000),
      op('b', { f: 'add', value: 3 }, {}, 1500, 2500),
      op('c', { f: 'read' }, { value: 2 }, 3000, 3100),
    ]);
    expect(s).toBe(
      'read() returned 2 at 3.1 ms, but the 2 adds that completed before it began already sum to 5',
    );
  });

  it('set: a read that misses a member added before it began', () => {
    const s = sentenceOf('set', [
      op('a', { f: 'add', value: 7 }, {}, 1000, 2000),
      op('b', { f: 'read' }, { values: [] }, 3000, 3100),
    ]);
    expect(s).toBe('read() returned {} at 3.1 ms, but add(7) completed at 2.0 ms and 7 is missing');
  });

  it('fifo-queue: a dequeue that found the queue empty after an enqueue nobody took', () => {
    const s = sentenceOf('fifo-queue', [
      op('a', { f: 'enqueue', value: 5 }, {}, 1000, 2000),
      op('b', { f: 'dequeue' }, { value: null }, 3000, 3100),
    ]);
    expect(s).toBe(
      'dequeue() found the queue empty at 3.1 ms, but 1 enqueue had completed before it began and at most 0 dequeues could have taken it',
    );
  });

  it('kv-list: a stale read names what it misses, not appends outside the window', () => {
    // Raft's read-without-heartbeat, seed 2: the appends that built the value happened long
    // before the window, and one read already saw an append the culprit misses.
    const early = Array.from({ length: 20 }, (_, i) =>
      op('a', { f: 'append', key: 'x', value: `a${i}` }, null, i * 100, i * 100 + 50),
    );
    const prefix = early.map((o) => (o.input as { value: string }).value).join(' ');
    const s = sentenceOf('kv-list', [
      ...early,
      op('b', { f: 'append', key: 'x', value: 'q' }, null, 5000, 5100),
      op('c', { f: 'get', key: 'x' }, `${prefix} q`, 5200, 5300),
      op('d', { f: 'get', key: 'x' }, prefix, 5400, 5500),
    ]);
    expect(s).not.toMatch(/nothing appended/);
    expect(s).toBe(
      'get(x) returned "… a10 a11 a12 a13 a14 a15 a16 a17 a18 a19" at 5.5 ms, but append(x, "q") completed at 5.1 ms and the value returned does not contain it (key x)',
    );
  });

  it('a model with no simple reason falls back to the generic sentence', () => {
    // Both reads are fine alone; only their order with the writes is impossible.
    const s = sentenceOf('register', [
      op('a', { f: 'write', value: 1 }, {}, 0, 100),
      op('b', { f: 'write', value: 2 }, {}, 0, 100),
      op('c', { f: 'read' }, { value: 2 }, 200, 300),
      op('d', { f: 'read' }, { value: 1 }, 400, 500),
    ]);
    expect(s).toMatch(/cannot be linearized/);
  });
});
