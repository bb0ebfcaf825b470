import { describe, expect, it } from 'vitest';
import { fifoQueueModel as m } from '../../../../../src/checkers/linearizability/models/fifo-queue.js';

describe('fifo-queue model', () => {
  it('dequeues in enqueue order', () => {
    const s = m.step(
      m.step(m.init(), { f: 'enqueue', value: 1 }, {}, false)!,
      { f: 'enqueue', value: 2 },
      {},
      false,
    )!;
    expect(s).toEqual([1, 2]);
    expect(m.step(s, { f: 'dequeue' }, { value: 2 }, false)).toBeUndefined();
    expect(m.step(s, { f: 'dequeue' }, { value: 1 }, false)).toEqual([2]);
  });

  it('an empty queue dequeues null and stays empty', () => {
    expect(m.step([], { f: 'dequeue' }, { value: null }, false)).toEqual([]);
    expect(m.step([], { f: 'dequeue' }, { value: 0 }, false)).toBeUndefined();
    expect(m.step([4], { f: 'dequeue' }, { value: null }, false)).toBeUndefined();
  });

  it('an unknown dequeue removes the head if any; an unknown enqueue applies', () => {
    expect(m.step([4, 5], { f: 'dequeue' }, { value: 9 }, true)).toEqual([5]);
    expect(m.step([], { f: 'dequeue' }, {}, true)).toEqual([]);
    expect(m.step([4], { f: 'enqueue', value: 6 }, {}, true)).toEqual([4, 6]);
  });

  it('keys follow the contents, in order', () => {
    expect(m.key([1, 2])).toBe(m.key([1, 2]));
    expect(m.key([1, 2])).not.toBe(m.key([2, 1]));
    expect(m.key([])).not.toBe(m.key([0]));
  });

  it('describes operations', () => {
    expect(m.describe({ f: 'dequeue' }, { value: null }, false)).toBe('dequeue() -> empty');
    expect(m.describe({ f: 'dequeue' }, { value: 3 }, false)).toBe('dequeue() -> 3');
    expect(m.describe({ f: 'enqueue', value: 3 }, {}, false)).toBe('enqueue(3) -> ok');
  });
});
