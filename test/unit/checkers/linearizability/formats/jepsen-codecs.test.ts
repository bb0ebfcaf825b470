/**
 * The Jepsen codecs: every model has one, each reads its operations from EDN as Jepsen writes
 * them, says where an operation is not one of its model's, and writes back what it reads.
 */
import { describe, expect, it } from 'vitest';
import {
  CODEC_MODEL_NAMES,
  jepsenCodecFor,
} from '../../../../../src/checkers/linearizability/formats/jepsen/index.js';
import { initialStateFor } from '../../../../../src/checkers/linearizability/formats/jepsen/initial.js';
import { parseJepsenEdn } from '../../../../../src/checkers/linearizability/formats/jepsen/parse.js';
import { MODEL_NAMES } from '../../../../../src/checkers/linearizability/models/index.js';
import { at, errorsOf, opsOf } from './helpers.js';

const edn = (...lines: string[]) => `[${lines.join('\n ')}]\n`;
const parse = (model: string, text: string, independent = false) =>
  parseJepsenEdn(text, jepsenCodecFor(model, independent)!);

describe('Jepsen codecs', () => {
  it('every model has one', () => {
    expect([...CODEC_MODEL_NAMES].sort()).toEqual([...MODEL_NAMES].sort());
  });

  it('mutex: acquire and release; a :fail did not happen', () => {
    const ops = opsOf(
      parse(
        'mutex',
        edn(
          '{:type :invoke, :f :acquire, :process 3}',
          '{:type :invoke, :f :release, :process 1}',
          '{:type :fail, :f :release, :process 1, :error :not-held}',
          '{:type :ok, :f :acquire, :process 3}',
        ),
      ),
    );
    expect(ops.map((o) => [o.input, o.unknown, o.call, o.ret])).toEqual([
      [{ f: 'acquire' }, false, 1, 4],
    ]);
  });

  it('multi-register: micro-operations, the values read from the completion', () => {
    const ops = opsOf(
      parse(
        'multi-register',
        edn(
          '{:type :invoke, :f :txn, :value [[:read :x nil] [:write :y 2]], :process 0}',
          '{:type :ok, :f :txn, :value [[:read :x 0] [:write :y 2]], :process 0}',
          '{:type :invoke, :f :txn, :value [[:write "x" 1N]], :process 1}',
          '{:type :info, :f :txn, :value [[:write "x" 1N]], :process 1}',
        ),
      ),
    );
    expect(ops.map((o) => [o.input, o.output, o.unknown])).toEqual([
      [
        {
          f: 'txn',
          ops: [
            { f: 'read', key: ':x' },
            { f: 'write', key: ':y', value: '2' },
          ],
        },
        { values: ['0', null] },
        false,
      ],
      [{ f: 'txn', ops: [{ f: 'write', key: '"x"', value: '1' }] }, { values: [null] }, true],
    ]);
    expect(
      errorsOf(
        parse(
          'multi-register',
          edn(
            '{:type :invoke, :f :txn, :value [[:read :x nil]], :process 0}',
            '{:type :ok, :f :txn, :value [[:read :y 0]], :process 0}',
          ),
        ),
      ),
    ).toEqual([
      at(2, 30, 'expected the micro-operations of the invocation on line 1, found [[:read :y 0]]'),
    ]);
  });

  it('independent: [key inner] on both events, split off before the inner codec reads them', () => {
    const ops = opsOf(
      parse(
        'cas-register',
        edn(
          '{:type :invoke, :f :cas, :value [:k1 [0 1]], :process 0}',
          '{:type :ok, :f :cas, :value [:k1 [0 1]], :process 0}',
          '{:type :invoke, :f :read, :value [7 nil], :process 1}',
          '{:type :ok, :f :read, :value [7 1], :process 1}',
        ),
        true,
      ),
    );
    expect(ops.map((o) => [o.input, o.output])).toEqual([
      [{ key: ':k1', inner: { f: 'cas', from: 0, to: 1 } }, { ok: true }],
      [{ key: '7', inner: { f: 'read' } }, { value: 1 }],
    ]);
    expect(
      errorsOf(
        parse(
          'cas-register',
          edn(
            '{:type :invoke, :f :read, :value [7 nil], :process 1}',
            '{:type :ok, :f :read, :value [8 1], :process 1}',
          ),
          true,
        ),
      ),
    ).toEqual([at(2, 31, 'expected the key 7 of the invocation on line 1, found [8 1]')]);
  });

  it('counter, set and fifo-queue read Jepsen workload values', () => {
    const set = opsOf(
      parse(
        'set',
        edn(
          '{:type :invoke, :f :read, :process 0}',
          '{:type :ok, :f :read, :value #{3 1}, :process 0}',
        ),
      ),
    );
    expect(set[0]!.output).toEqual({ values: [3, 1] });
    const queue = opsOf(
      parse(
        'fifo-queue',
        edn(
          '{:type :invoke, :f :dequeue, :process 0}',
          '{:type :ok, :f :dequeue, :value nil, :process 0}',
        ),
      ),
    );
    expect(queue[0]!.output).toEqual({ value: null });
    const counter = opsOf(
      parse(
        'counter',
        edn(
          '{:type :invoke, :f :add, :value 2, :process 0}',
          '{:type :ok, :f :add, :value 2, :process 0}',
        ),
      ),
    );
    expect(counter[0]!.input).toEqual({ f: 'add', value: 2 });
  });

  it('an operation of another model is named with its place and what was expected', () => {
    expect(
      errorsOf(parse('cas-register', edn('{:type :invoke, :f :acquire, :process 3}'))),
    ).toEqual([at(1, 21, 'expected :f to be :read, :write or :cas, found :acquire')]);
  });
});

describe('--initial', () => {
  it('reads an integer or nil for the registers, a map for multi-register', () => {
    expect(initialStateFor('cas-register', '0')).toEqual({ initial: 0 });
    expect(initialStateFor('register', 'nil')).toEqual({ initial: null });
    expect(initialStateFor('multi-register', '{:x 0, :y 1N}')).toEqual({
      initial: new Map([
        [':x', '0'],
        [':y', '1'],
      ]),
    });
  });

  it('says why it cannot', () => {
    expect(initialStateFor('mutex', '0')).toEqual({
      error:
        'model mutex has no initial state to set (only register, cas-register, multi-register do)',
    });
    expect(initialStateFor('cas-register', ':x')).toEqual({
      error: 'expected an integer below 2^53 or nil, found :x',
    });
    expect(initialStateFor('multi-register', '{:x 0')).toEqual({
      error:
        'not an EDN value: expected } to close the map opened here, found end of input (at character 1)',
    });
  });
});
