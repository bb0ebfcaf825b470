import { describe, expect, it } from 'vitest';
import { setModel as m } from '../../../../../src/checkers/linearizability/models/set.js';

describe('set model', () => {
  it('adds keep the state sorted and without repeats, so equal sets have equal keys', () => {
    const a = m.step(
      m.step(m.init(), { f: 'add', value: 3 }, {}, false)!,
      { f: 'add', value: 1 },
      {},
      false,
    )!;
    const b = m.step(
      m.step(m.init(), { f: 'add', value: 1 }, {}, false)!,
      { f: 'add', value: 3 },
      {},
      false,
    )!;
    expect(a).toEqual([1, 3]);
    expect(m.key(a)).toBe(m.key(b));
    expect(m.step(a, { f: 'add', value: 3 }, {}, false)).toEqual([1, 3]);
    expect(m.key(m.init())).not.toBe(m.key([0]));
  });

  it('reads are compared as sets', () => {
    expect(m.step([1, 3], { f: 'read' }, { values: [3, 1] }, false)).toEqual([1, 3]);
    expect(m.step([1, 3], { f: 'read' }, { values: [3, 1, 3] }, false)).toEqual([1, 3]);
    expect(m.step([1, 3], { f: 'read' }, { values: [1] }, false)).toBeUndefined();
    expect(m.step([1, 3], { f: 'read' }, { values: [1, 2, 3] }, false)).toBeUndefined();
    expect(m.step([], { f: 'read' }, { values: [] }, false)).toEqual([]);
  });

  it('unknown add applies, unknown read is legal', () => {
    expect(m.step([1], { f: 'add', value: 0 }, {}, true)).toEqual([0, 1]);
    expect(m.step([1], { f: 'read' }, { values: [7] }, true)).toEqual([1]);
  });

  it('describes operations', () => {
    expect(m.describe({ f: 'read' }, { values: [1, 2] }, false)).toBe('read() -> {1, 2}');
    expect(m.describe({ f: 'add', value: 2 }, {}, true)).toBe('add(2) -> ?');
  });
});
