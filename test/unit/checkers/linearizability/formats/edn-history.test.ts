import { describe, expect, it } from 'vitest';
import {
  parseEdnHistory,
  parseJepsenEtcd,
} from '../../../../../src/checkers/linearizability/formats/index.js';
import { EDN_DEPTH_MAX } from '../../../../../src/checkers/linearizability/formats/edn-reader.js';
import { at, errorsOf, opsOf } from './helpers.js';

const edn = (...lines: string[]): string => `${lines.join('\n')}\n`;

describe('parseEdnHistory: meaning (Jepsen/Knossos semantics)', () => {
  it('reads register operations; without :time everywhere, call and ret are line numbers', () => {
    const ops = opsOf(
      parseEdnHistory(
        edn(
          '{:process 0, :type :invoke, :f :write, :value 3}',
          '{:process 1, :type :invoke, :f :read, :value nil}',
          '{:process 0, :type :ok, :f :write, :value 3}',
          '{:process 1, :type :ok, :f :read, :value nil}',
          '{:process 0, :type :invoke, :f :cas, :value [3 4]}',
          '{:process 0, :type :ok, :f :cas, :value [3 4]}',
          '{:process 1, :type :invoke, :f :read, :value nil, :time 5}',
          '{:process 1, :type :ok, :f :read, :value 4}',
        ),
      ),
    );
    expect(ops).toEqual([
      {
        id: 0,
        client: '0',
        input: { f: 'write', value: 3 },
        output: {},
        unknown: false,
        call: 1,
        ret: 3,
        line: 1,
      },
      {
        id: 1,
        client: '1',
        input: { f: 'read' },
        output: { value: null },
        unknown: false,
        call: 2,
        ret: 4,
        line: 2,
      },
      {
        id: 2,
        client: '0',
        input: { f: 'cas', from: 3, to: 4 },
        output: { ok: true },
        unknown: false,
        call: 5,
        ret: 6,
        line: 5,
      },
      {
        id: 3,
        client: '1',
        input: { f: 'read' },
        output: { value: 4 },
        unknown: false,
        call: 7,
        ret: 8,
        line: 7,
      },
    ]);
  });

  it(':fail means the operation did not happen, a failed cas included (unlike the etcd log); :info stays open', () => {
    const ops = opsOf(
      parseEdnHistory(
        edn(
          '{:process 0, :type :invoke, :f :cas, :value [1 2]}',
          '{:process 0, :type :fail, :f :cas, :value [1 2], :error :cas-failed}',
          '{:process 0, :type :invoke, :f :write, :value 7}',
          '{:process 0, :type :info, :f :write, :value 7, :error :timeout}',
          '{:process 5, :type :invoke, :f :read, :value nil}',
        ),
      ),
    );
    expect(ops.map((o) => [o.id, o.input.f, o.unknown, o.call, o.ret])).toEqual([
      [0, 'write', true, 3, Infinity],
      [1, 'read', true, 5, Infinity],
    ]);
    // The same cas in an etcd log is kept, with ok=false.
    const etcd = opsOf(
      parseJepsenEtcd(
        'INFO  jepsen.util - 0\t:invoke\t:cas\t[1 2]\nINFO  jepsen.util - 0\t:fail\t:cas\t[1 2]\n',
      ),
    );
    expect(etcd.map((o) => o.output)).toEqual([{ ok: false }]);
  });

  it('ignores :time: real time is the order of the history, as Knossos reads it', () => {
    const ops = opsOf(
      parseEdnHistory(
        edn(
          '{:type :invoke, :f :write, :value 1, :process 0, :time 1000, :index 0}',
          '{:type :invoke, :f :read, :value nil, :process 1, :time 900, :index 1}',
          '{:type :info, :f :start, :value nil, :process :nemesis, :index 2}',
          '{:type :ok, :f :write, :value 1, :process 0, :time 2000, :index 3}',
          '{:type :ok, :f :read, :value 1, :process 1, :time 5, :index 4}',
        ),
      ),
    );
    expect(ops.map((o) => [o.call, o.ret, o.line])).toEqual([
      [1, 4, 1],
      [2, 5, 2],
    ]);
  });

  it('reads maps spread over several lines, histories in a list, and read invocations with a value', () => {
    const ops = opsOf(
      parseEdnHistory(
        edn(
          '({:process 0, :type :invoke,',
          '  :f :read, :value 3}',
          ' {:process 0,',
          '  :type :ok, :f :read, :value 3})',
        ),
      ),
    );
    expect(ops.map((o) => [o.input, o.output, o.call, o.ret, o.line])).toEqual([
      [{ f: 'read' }, { value: 3 }, 1, 3, 1],
    ]);
  });

  it('reads a Knossos-style vector of maps, tagged Jepsen records, comments and discards', () => {
    const ops = opsOf(
      parseEdnHistory(
        edn(
          '; a Knossos history',
          '[{:process 0, :type :invoke, :f :write, :value 1}',
          ' #jepsen.history.Op{:process 0, :type :ok, :f :write, :value 1, :error #{:a \\b 2.5 (x)}}',
          ' #_{:process 9, :type :ok}',
          ' {:process 0, :type :invoke, :f :read, :value nil} {:process 0, :type :ok, :f :read, :value 1N}]',
        ),
      ),
    );
    expect(ops.map((o) => [o.input.f, o.output, o.call, o.ret])).toEqual([
      ['write', {}, 2, 3],
      ['read', { value: 1 }, 5, 5.5],
    ]);
  });
});

describe('parseEdnHistory: errors', () => {
  const cases: [string, string[], [number, number, string][]][] = [
    [
      'a cas that is not a pair',
      ['{:process 0, :type :invoke, :f :cas, :value [1]}'],
      [[1, 45, 'expected :value of a :cas to be [from to], two integers, found [1]']],
    ],
    [
      'a write of a string',
      ['{:process 0, :type :invoke, :f :write, :value "3"}'],
      [[1, 47, 'expected :value to be an integer, found "3"']],
    ],
    [
      'a write too large for a double',
      ['{:process 0, :type :invoke, :f :write, :value 12345678901234567890}'],
      [[1, 47, 'expected :value to be an integer below 2^53, found 12345678901234567890']],
    ],
    [
      'a write without :value',
      ['{:process 0, :type :invoke, :f :write}'],
      [[1, 1, 'expected the operation map to have :value (the integer to write)']],
    ],
    [
      'an ok read without :value',
      ['{:process 0, :type :invoke, :f :read}', '{:process 0, :type :ok, :f :read}'],
      [[2, 1, 'expected the operation map to have :value (the integer read, or nil)']],
    ],
    [
      'a cas acknowledged with other arguments',
      [
        '{:process 0, :type :invoke, :f :cas, :value [1 2]}',
        '{:process 0, :type :ok, :f :cas, :value [1 3]}',
      ],
      [[2, 41, 'expected :value [1 2] like the invocation on line 1, found [1 3]']],
    ],
    [
      'an unknown :f',
      ['{:process 0, :type :invoke, :f :get, :key "k"}'],
      [[1, 32, 'expected :f to be :read, :write or :cas, found :get']],
    ],
    [
      'a missing :process',
      ['{:type :invoke, :f :read}'],
      [[1, 1, 'expected the operation map to have :process (the client that ran it, an integer)']],
    ],
    [
      'a vector never closed',
      ['[{:process 0, :type :invoke, :f :read, :value nil}'],
      [[1, 1, 'expected ] to close the vector of operations opened here, found end of input']],
    ],
    [
      'a map after the vector',
      ['[]', '{:process 0, :type :invoke, :f :read, :value nil}'],
      [[2, 1, 'expected the end of the history after the ] that closes it, found {:process']],
    ],
    [
      'a bad escape',
      ['{:process 0, :type :invoke, :f :read, :value nil, :note "a\\qb"}'],
      [[1, 59, 'expected an escape like \\" \\\\ \\n \\t or \\uXXXX in the string, found \\q']],
    ],
    [
      'a bad number',
      ['{:process 0, :type :invoke, :f :write, :value 12abc}'],
      [[1, 47, 'expected a number, found 12abc']],
    ],
    [
      'a lone colon',
      ['{:process 0, :type : }'],
      [[1, 20, 'expected a keyword like :type, found :']],
    ],
  ];
  for (const [name, lines, expected] of cases) {
    it(name, () => {
      expect(errorsOf(parseEdnHistory(edn(...lines)))).toEqual(
        expected.map(([l, c, m]) => at(l, c, m)),
      );
    });
  }

  it(`stops nesting at ${EDN_DEPTH_MAX} levels instead of overflowing the stack`, () => {
    const deep = `{:process 0, :type :invoke, :f :read, :value nil, :x ${'['.repeat(10_000)}}\n`;
    expect(errorsOf(parseEdnHistory(deep))).toEqual([
      at(1, 53 + EDN_DEPTH_MAX, `values nest deeper than ${EDN_DEPTH_MAX} levels`),
    ]);
  });
});
