/**
 * What a comparison measures of a transaction workload, on histories written by hand: transfers
 * aborted and sagas compensated out of those begun in the faulty phase, reads that saw part of
 * a transfer or a trip booked at some services and not others, and the blocking and
 * intermediate-state measures carried over from the run's metrics; nothing for other workloads.
 */
import { describe, expect, it } from 'vitest';
import { transactionMeasures } from '../../../src/compare/transaction-measures.js';
import type { History, Operation } from '../../../src/core/history.js';
import type { Metric } from '../../../src/core/metrics.js';
import type { RunResult } from '../../../src/run/run-result.js';

const bank = { accounts: 2, balance: 100, sharding: 'modulo' } as const;
let ids = 0;
const op = (
  f: string,
  input: object,
  outcome: Operation['outcome'],
  output?: unknown,
): Operation => ({
  id: ids++,
  client: 'c1',
  f,
  input,
  output,
  invokeUs: 0,
  completeUs: 1,
  outcome,
  phase: 'faulty',
});
const metric = (count: number, p50Us: number, maxUs: number): Metric => ({
  label: 'x',
  count,
  meanUs: p50Us,
  p50Us,
  p99Us: maxUs,
  maxUs,
});
const resultWith = (metrics: RunResult['metrics']) => ({ metrics }) as RunResult;
const transfer = (id: string, outcome: Operation['outcome']) =>
  op('transfer', { f: 'transfer', id, from: 'a0', to: 'a1', amount: 1, bank }, outcome);
const read = (a0: string[], a1: string[]) =>
  op('read', { f: 'read', bank }, 'ok', {
    a0: { balance: 100, applied: a0 },
    a1: { balance: 100, applied: a1 },
  });

describe('transaction measures', () => {
  it('count aborted transfers and reads that saw part of one, with the blocking measure', () => {
    const h: History = [
      transfer('t1', 'ok'),
      transfer('t2', 'fail'),
      read(['t1'], ['t1']),
      read(['t1'], []),
    ];
    expect(transactionMeasures(resultWith({ blocked: metric(3, 50, 90) }), h)).toEqual({
      begun: 2,
      aborted: 1,
      reads: 2,
      intermediateReads: 1,
      blocked: { count: 3, p50Us: 50, maxUs: 90 },
    });
  });

  it('count compensated sagas and reads of a trip booked at some services only', () => {
    const trip = (flight: string, hotel: string, car: string) =>
      op('read', { f: 'read', saga: 's1' }, 'ok', { flight, hotel, car });
    const h: History = [
      op('book', { f: 'book', saga: 's1' }, 'ok', { outcome: 'completed' }),
      op('book', { f: 'book', saga: 's2', unavailable: 'car' }, 'ok', { outcome: 'compensated' }),
      op('book', { f: 'book', saga: 's3' }, 'info'),
      trip('booked', 'none', 'none'),
      trip('cancelled', 'booked', 'none'),
      trip('booked', 'booked', 'booked'),
      trip('cancelled', 'cancelled', 'none'),
    ];
    expect(transactionMeasures(resultWith({ intermediate: metric(2, 10, 20) }), h)).toEqual({
      begun: 3,
      aborted: 1,
      reads: 4,
      intermediateReads: 2,
      intermediate: { count: 2, p50Us: 10, maxUs: 20 },
    });
  });

  it('measure nothing for a workload that is neither', () => {
    const h: History = [op('put', { f: 'put', key: 'k', value: 'v' }, 'ok')];
    expect(transactionMeasures(resultWith({}), h)).toBeUndefined();
  });
});
