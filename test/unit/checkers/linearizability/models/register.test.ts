import { describe, expect, it } from 'vitest';
import { registerModel as m } from '../../../../../src/checkers/linearizability/models/register.js';

describe('register model', () => {
  it('starts at null and reads must return the current value', () => {
    const s = m.init();
    expect(s).toBeNull();
    expect(m.step(s, { f: 'read' }, { value: null }, false)).toBeNull();
    expect(m.step(s, { f: 'read' }, { value: 0 }, false)).toBeUndefined();
    expect(m.step(1, { f: 'read' }, { value: 1 }, false)).toBe(1);
    expect(m.step(1, { f: 'read' }, { value: 2 }, false)).toBeUndefined();
    expect(m.step(1, { f: 'read' }, { value: null }, false)).toBeUndefined();
  });

  it('writes always apply, known or not, and an unknown read is always legal', () => {
    expect(m.step(null, { f: 'write', value: 3 }, {}, false)).toBe(3);
    expect(m.step(1, { f: 'write', value: 3 }, {}, true)).toBe(3);
    expect(m.step(1, { f: 'read' }, { value: 7 }, true)).toBe(1);
  });

  it('keys tell nil from every number', () => {
    expect(m.key(null)).not.toBe(m.key(0));
    expect(m.key(2)).toBe(m.key(2));
  });

  it('describes operations', () => {
    expect(m.describe({ f: 'write', value: 2 }, {}, true)).toBe('write(2) -> ?');
    expect(m.describe({ f: 'write', value: 2 }, {}, false)).toBe('write(2) -> ok');
    expect(m.describe({ f: 'read' }, { value: null }, false)).toBe('read() -> nil');
    expect(m.describe({ f: 'read' }, { value: 4 }, false)).toBe('read() -> 4');
  });
});
