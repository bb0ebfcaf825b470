/**
 * The bank workload as list-append: transfers and reads with the ids each account applied give
 * Elle's dependencies (a read that saw one side of a transfer is G1b-like, reads in opposite
 * orders are a cycle), and balances that their applied transfers do not explain are caught.
 */
import { describe, expect, it } from 'vitest';
import {
  BadBankHistory,
  type BankTxn,
  checkBank,
} from '../../../../src/checkers/serializability/bank.js';

let index = 0;
const transfer = (id: string, from: string, to: string, amount: number): BankTxn => ({
  index: index++,
  process: 'p',
  outcome: 'ok',
  op: { f: 'transfer', id, from, to, amount },
});
const read = (accounts: Record<string, [number, string[]]>): BankTxn => ({
  index: index++,
  process: 'p',
  outcome: 'ok',
  op: {
    f: 'read',
    accounts: Object.fromEntries(
      Object.entries(accounts).map(([k, [balance, applied]]) => [k, { balance, applied }]),
    ),
  },
});

describe('checkBank', () => {
  it('passes transfers read in one order with balances that add up', () => {
    const h = [
      read({ a: [100, []], b: [100, []] }),
      transfer('t1', 'a', 'b', 10),
      read({ a: [90, ['t1']], b: [110, ['t1']] }),
      transfer('t2', 'b', 'a', 5),
      read({ a: [95, ['t1', 't2']], b: [105, ['t1', 't2']] }),
    ];
    expect(checkBank(h).verdict).toBe('ok');
  });

  it('finds a read that saw a transfer on one account but not the other (G2-item)', () => {
    const h = [transfer('t1', 'a', 'b', 10), read({ a: [90, ['t1']], b: [100, []] })];
    expect(checkBank(h).anomalyTypes).toEqual(['G2-item']);
  });

  it('finds a balance its transfers do not explain, so money appeared', () => {
    const h = [
      read({ a: [100, []], b: [100, []] }),
      transfer('t1', 'a', 'b', 10),
      read({ a: [90, ['t1']], b: [120, ['t1']] }),
    ];
    const r = checkBank(h);
    expect(r.anomalyTypes).toEqual(['wrong-balance']);
    expect(r.anomalies[0]!.sentences[0]).toMatch(
      /account b as 120 after \[t1\], so it started at 110/,
    );
  });
});

describe('checkBank input', () => {
  it.each([
    [
      'from and to the same account',
      transfer('t1', 'a', 'a', 10),
      /t1 moves money from a to a itself/,
    ],
    [
      'a fractional amount',
      transfer('t1', 'a', 'b', 2.5),
      /t1 moves 2.5: expected a positive whole amount/,
    ],
    [
      'a negative amount',
      transfer('t1', 'a', 'b', -3),
      /t1 moves -3: expected a positive whole amount/,
    ],
    ['a zero amount', transfer('t1', 'a', 'b', 0), /t1 moves 0: expected a positive whole amount/],
  ])('rejects a transfer with %s as bad history input', (_what, t, message) => {
    expect(() => checkBank([t])).toThrow(BadBankHistory);
    expect(() => checkBank([t])).toThrow(message);
  });
});
