import { describe, expect, it } from 'vitest';
import { casRegisterModel as m } from '../../../../../src/checkers/linearizability/models/cas-register.js';

const cas = (from: number, to: number) => ({ f: 'cas' as const, from, to });

describe('cas-register model (Porcupine etcdModel)', () => {
  it('starts at nil; reads must match, nil reads only when nil', () => {
    expect(m.init()).toBeNull();
    expect(m.step(null, { f: 'read' }, { value: null }, false)).toBeNull();
    expect(m.step(null, { f: 'read' }, {}, false)).toBeNull(); // no value at all = nil, as in Porcupine
    expect(m.step(null, { f: 'read' }, { value: 1 }, false)).toBeUndefined();
    expect(m.step(2, { f: 'read' }, { value: 2 }, false)).toBe(2);
    expect(m.step(2, { f: 'read' }, { value: null }, false)).toBeUndefined();
  });

  it('a successful cas needs the register to hold `from`, and sets `to`', () => {
    expect(m.step(1, cas(1, 3), { ok: true }, false)).toBe(3);
    expect(m.step(2, cas(1, 3), { ok: true }, false)).toBeUndefined();
    expect(m.step(null, cas(1, 3), { ok: true }, false)).toBeUndefined();
  });

  it('a failed cas (`:fail :cas`) asserts the value was not `from` and changes nothing', () => {
    expect(m.step(2, cas(1, 3), { ok: false }, false)).toBe(2);
    expect(m.step(null, cas(1, 3), { ok: false }, false)).toBeNull();
    // The register held `from`, so the cas could not have failed: illegal, not "did not happen".
    expect(m.step(1, cas(1, 3), { ok: false }, false)).toBeUndefined();
  });

  it('unknown outputs are always legal: read unchanged, write applies, cas applies iff state == from', () => {
    expect(m.step(4, { f: 'read' }, { value: 0 }, true)).toBe(4);
    expect(m.step(4, { f: 'write', value: 0 }, {}, true)).toBe(0);
    expect(m.step(1, cas(1, 3), { ok: false }, true)).toBe(3);
    expect(m.step(2, cas(1, 3), { ok: true }, true)).toBe(2);
    expect(m.step(null, cas(1, 3), {}, true)).toBeNull();
  });

  it('writes always apply', () => {
    expect(m.step(null, { f: 'write', value: 0 }, {}, false)).toBe(0);
    expect(m.step(3, { f: 'write', value: 3 }, {}, false)).toBe(3);
  });

  it('keys tell nil from every number', () => {
    expect(m.key(null)).not.toBe(m.key(0));
    expect(m.key(1)).toBe(m.key(1));
  });

  it('describes operations', () => {
    expect(m.describe(cas(1, 3), { ok: false }, false)).toBe('cas(1→3) -> fail');
    expect(m.describe(cas(1, 3), { ok: true }, false)).toBe('cas(1→3) -> ok');
    expect(m.describe(cas(1, 3), {}, true)).toBe('cas(1→3) -> ?');
    expect(m.describe({ f: 'write', value: 2 }, {}, true)).toBe('write(2) -> ?');
    expect(m.describe({ f: 'read' }, { value: null }, false)).toBe('read() -> nil');
    expect(m.describe({ f: 'read' }, { value: 0 }, false)).toBe('read() -> 0');
  });
});
