import { describe, expect, it } from 'vitest';
import { independentModel } from '../../../../../src/checkers/linearizability/models/independent.js';
import {
  casRegisterModel,
  kvModel,
} from '../../../../../src/checkers/linearizability/models/index.js';

const m = independentModel(casRegisterModel);

describe('independent model (jepsen.independent)', () => {
  it('steps the inner model with the inner operation and splits by key', () => {
    expect(m.step(null, { key: '1', inner: { f: 'write', value: 3 } }, {}, false)).toBe(3);
    expect(m.partition!({ key: '1', inner: { f: 'read' } })).toBe('1');
    expect(m.readOnly!({ key: '1', inner: { f: 'read' } }, { value: 1 }, false)).toBe(true);
    expect(m.describe({ key: ':a', inner: { f: 'write', value: 2 } }, {}, false)).toBe(
      '[:a] write(2) -> ok',
    );
  });

  it('splits further when the inner model is partitioned', () => {
    const kv = independentModel(kvModel);
    expect(kv.partition!({ key: '1', inner: { f: 'get', key: 'x' } })).toBe('1 x');
  });

  it('validates the wrapper and the inner operation', () => {
    expect(m.validate!({ key: '1', inner: { f: 'read' } }, { value: null }, false)).toBeUndefined();
    expect(m.validate!({ f: 'read' }, { value: null }, false)).toMatch(
      /^expected an operation on one key/,
    );
    expect(m.validate!({ key: '1', inner: { f: 'get' } }, {}, false)).toBe(
      'expected an operation "read", "write" or "cas", found "get"',
    );
  });
});
