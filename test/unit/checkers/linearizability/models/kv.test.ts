import { describe, expect, it } from 'vitest';
import { kvModel as m } from '../../../../../src/checkers/linearizability/models/kv.js';

describe('kv model (Porcupine kvModel)', () => {
  it('starts at "" and get must return the value exactly', () => {
    expect(m.init()).toBe('');
    expect(m.step('', { f: 'get', key: 'x' }, '', false)).toBe('');
    expect(m.step('ab', { f: 'get', key: 'x' }, 'ab', false)).toBe('ab');
    expect(m.step('ab', { f: 'get', key: 'x' }, 'a', false)).toBeUndefined();
  });

  it('put replaces; append concatenates without a separator; their outputs are ignored', () => {
    expect(m.step('abc', { f: 'put', key: 'x', value: 'z' }, 'whatever', false)).toBe('z');
    expect(m.step('x 1 0 y', { f: 'append', key: 'x', value: 'x 2 0 y' }, '', false)).toBe(
      'x 1 0 yx 2 0 y',
    );
    expect(m.step('', { f: 'append', key: 'x', value: 'a' }, '', false)).toBe('a');
  });

  it('unknown get is legal and changes nothing; unknown put and append apply', () => {
    expect(m.step('a', { f: 'get', key: 'x' }, 'zzz', true)).toBe('a');
    expect(m.step('a', { f: 'put', key: 'x', value: 'b' }, '', true)).toBe('b');
    expect(m.step('a', { f: 'append', key: 'x', value: 'b' }, '', true)).toBe('ab');
  });

  it('is partitioned by key, and keys are the strings', () => {
    expect(m.partition?.({ f: 'get', key: '7' })).toBe('7');
    expect(m.partition?.({ f: 'append', key: 'k', value: 'v' })).toBe('k');
    expect(m.key('ab')).toBe(m.key('a' + 'b'));
    expect(m.key('')).not.toBe(m.key('a'));
  });

  it('describes operations', () => {
    expect(m.describe({ f: 'get', key: 'x' }, 'a b', false)).toBe('get(x) -> "a b"');
    expect(m.describe({ f: 'append', key: 'x', value: 'v' }, '', false)).toBe(
      'append(x, "v") -> ok',
    );
    expect(m.describe({ f: 'put', key: 'x', value: 'v' }, '', true)).toBe('put(x, "v") -> ?');
  });
});
