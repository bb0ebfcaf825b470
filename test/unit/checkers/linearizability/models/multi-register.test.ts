import { describe, expect, it } from 'vitest';
import {
  makeMultiRegisterModel,
  multiRegisterModel,
} from '../../../../../src/checkers/linearizability/models/multi-register.js';

const m = makeMultiRegisterModel({
  initial: new Map([
    [':x', '0'],
    [':y', '0'],
  ]),
});
const txn = (...ops: ({ f: 'read'; key: string } | { f: 'write'; key: string; value: string })[]) =>
  ({ f: 'txn', ops }) as const;

describe('multi-register model (Knossos)', () => {
  it('reads see the initial map, a register not in it is nil', () => {
    const s = m.init();
    expect(m.step(s, txn({ f: 'read', key: ':x' }), { values: ['0'] }, false)).toBe(s);
    expect(m.step(s, txn({ f: 'read', key: ':x' }), { values: ['1'] }, false)).toBeUndefined();
    expect(
      multiRegisterModel.step(new Map(), txn({ f: 'read', key: ':x' }), { values: ['0'] }, false),
    ).toBeUndefined();
  });

  it('applies micro-operations in order, atomically; a nil read matches anything', () => {
    const op = txn(
      { f: 'write', key: ':x', value: '2' },
      { f: 'read', key: ':x' },
      { f: 'read', key: ':y' },
    );
    const s = m.step(m.init(), op, { values: [null, '2', null] }, false)!;
    expect(s.get(':x')).toBe('2');
    expect(m.init().get(':x')).toBe('0'); // states are values: the old one is unchanged
    expect(m.step(m.init(), op, { values: [null, '0', null] }, false)).toBeUndefined();
    // Unknown: the writes apply, the reads constrain nothing.
    expect(m.step(m.init(), op, { values: [null, '9', '9'] }, true)?.get(':x')).toBe('2');
  });

  it('equal states have equal keys, nil registers included', () => {
    const a = m.step(
      m.init(),
      txn({ f: 'write', key: ':y', value: '0' }),
      { values: [null] },
      false,
    )!;
    expect(m.key(a)).toBe(m.key(m.init()));
    expect(multiRegisterModel.key(new Map([[':x', null]]))).toBe(multiRegisterModel.key(new Map()));
  });

  it('validates transactions and describes them as Jepsen writes them', () => {
    const op = txn({ f: 'read', key: ':x' }, { f: 'write', key: ':y', value: '1' });
    expect(m.validate!(op, { values: ['0', null] }, false)).toBeUndefined();
    expect(m.validate!(op, { values: ['0'] }, false)).toBe(
      'expected 2 values read, one per micro-operation, found ["0"]',
    );
    expect(m.validate!({ f: 'read' }, {}, false)).toMatch(/^expected a transaction/);
    expect(m.describe(op, { values: ['0', null] }, false)).toBe(
      'txn [[:read :x 0] [:write :y 1]] -> ok',
    );
  });
});
