import { describe, expect, it } from 'vitest';
import { counterModel as m } from '../../../../../src/checkers/linearizability/models/counter.js';

describe('counter model', () => {
  it('starts at 0; add sums; read must return the sum', () => {
    expect(m.init()).toBe(0);
    const s = m.step(
      m.step(0, { f: 'add', value: 2 }, {}, false) as number,
      { f: 'add', value: 3 },
      {},
      false,
    );
    expect(s).toBe(5);
    expect(m.step(5, { f: 'read' }, { value: 5 }, false)).toBe(5);
    expect(m.step(5, { f: 'read' }, { value: 2 }, false)).toBeUndefined();
  });

  it('unknown add applies, unknown read is legal', () => {
    expect(m.step(1, { f: 'add', value: 1 }, {}, true)).toBe(2);
    expect(m.step(1, { f: 'read' }, { value: 9 }, true)).toBe(1);
  });

  it('describes operations', () => {
    expect(m.describe({ f: 'add', value: 2 }, {}, false)).toBe('add(2) -> ok');
    expect(m.describe({ f: 'read' }, { value: 3 }, false)).toBe('read() -> 3');
    expect(m.describe({ f: 'read' }, {}, true)).toBe('read() -> ?');
  });
});
