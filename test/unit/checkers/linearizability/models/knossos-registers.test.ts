/** The registers with `--initial`: Knossos's semantics, next to the etcd semantics they leave alone. */
import { describe, expect, it } from 'vitest';
import {
  casRegisterModel,
  makeCasRegisterModel,
  makeRegisterModel,
  registerModel,
} from '../../../../../src/checkers/linearizability/models/index.js';

describe('registers in Knossos semantics', () => {
  const cas = makeCasRegisterModel({ initial: 0 });
  const reg = makeRegisterModel({ initial: 0 });

  it('start at the initial value', () => {
    expect(cas.init()).toBe(0);
    expect(reg.init()).toBe(0);
    expect(cas.step(0, { f: 'cas', from: 0, to: 1 }, { ok: true }, false)).toBe(1);
  });

  it('a read of nil matches anything; without --initial it means the register is nil', () => {
    for (const m of [cas, reg]) expect(m.step(4, { f: 'read' }, { value: null }, false)).toBe(4);
    for (const m of [casRegisterModel, registerModel])
      expect(m.step(4, { f: 'read' }, { value: null }, false)).toBeUndefined();
    expect(cas.step(4, { f: 'read' }, { value: 3 }, false)).toBeUndefined();
  });

  it('say so in their summary', () => {
    expect(cas.summary).toContain('Knossos: initially 0, a read of nil matches anything');
    expect(casRegisterModel.summary).toContain('etcd');
  });

  it('validate operations: a kv get is not a register operation', () => {
    expect(registerModel.validate!({ f: 'get', key: '0' }, '', false)).toBe(
      'expected an operation "read" or "write", found "get"',
    );
    expect(registerModel.validate!({ f: 'read' }, null, false)).toBe(
      'expected "value" to be the integer read or null, found nothing',
    );
    expect(
      casRegisterModel.validate!({ f: 'cas', from: 1, to: 2 }, { ok: true }, false),
    ).toBeUndefined();
    expect(casRegisterModel.validate!({ f: 'cas', from: 1 }, { ok: true }, false)).toBe(
      'expected "to" to be an integer, found nothing',
    );
  });
});
