import { describe, expect, it } from 'vitest';
import {
  PARSE_ERRORS_MAX,
  parsePorcupineKv,
} from '../../../../../src/checkers/linearizability/formats/index.js';
import { at, errorsOf, opsOf } from './helpers.js';

const kv = (...lines: string[]): string => `${lines.join('\n')}\n`;

describe('parsePorcupineKv: meaning', () => {
  it('pairs by process; get outputs the :ok value, put and append output ""', () => {
    const ops = opsOf(
      parsePorcupineKv(
        kv(
          '{:process 0, :type :invoke, :f :append, :key "0", :value "x 0 0 y"}',
          '{:process 1, :type :invoke, :f :get, :key "0", :value nil}',
          '{:process 0, :type :ok, :f :append, :key "0", :value "x 0 0 y"}',
          '{:process 1, :type :ok, :f :get, :key "0", :value "x 0 0 y"}',
          '{:process 0, :type :invoke, :f :put, :key "1", :value "v"}',
          '{:process 0, :type :ok, :f :put, :key "1", :value "v"}',
        ),
      ),
    );
    expect(ops).toEqual([
      {
        id: 0,
        client: '0',
        input: { f: 'append', key: '0', value: 'x 0 0 y' },
        output: '',
        unknown: false,
        call: 1,
        ret: 3,
        line: 1,
      },
      {
        id: 1,
        client: '1',
        input: { f: 'get', key: '0' },
        output: 'x 0 0 y',
        unknown: false,
        call: 2,
        ret: 4,
        line: 2,
      },
      {
        id: 2,
        client: '0',
        input: { f: 'put', key: '1', value: 'v' },
        output: '',
        unknown: false,
        call: 5,
        ret: 6,
        line: 5,
      },
    ]);
  });

  it(':fail drops the operation (ids stay dense), :info and a missing completion leave it open forever', () => {
    const ops = opsOf(
      parsePorcupineKv(
        kv(
          '{:process 0, :type :invoke, :f :put, :key "a", :value "1"}',
          '{:process 0, :type :fail, :f :put, :key "a", :value "1", :error :timeout}',
          '{:process 0, :type :invoke, :f :append, :key "a", :value "2"}',
          '{:process 0, :type :info, :f :append, :key "a", :value "2"}',
          '{:process 5, :type :invoke, :f :get, :key "a", :value nil}',
        ),
      ),
    );
    expect(ops.map((o) => [o.id, o.input.f, o.unknown, o.call, o.ret])).toEqual([
      [0, 'append', true, 3, Infinity],
      [1, 'get', true, 5, Infinity],
    ]);
  });

  it('is lenient about spacing, key order, commas and extra keys; reads nil from a get as ""', () => {
    const ops = opsOf(
      parsePorcupineKv(
        kv(
          '',
          '   {:value nil :key "k" :f :get :type :invoke :process 3 :index 0 :time 17}  ',
          '{ :process\t3 ,:type :ok,,:f :get, :key "k", :value nil, :node "n1" } ; a comment',
          '{:process :nemesis, :type :info, :f :start, :value nil}',
          '\r',
        ).replace(/\n/g, '\r\n'),
      ),
    );
    expect(ops).toEqual([
      {
        id: 0,
        client: '3',
        input: { f: 'get', key: 'k' },
        output: '',
        unknown: false,
        call: 2,
        ret: 3,
        line: 2,
      },
    ]);
  });

  it('reads escapes in strings and several maps on one line, keeping their order', () => {
    const ops = opsOf(
      parsePorcupineKv(
        '{:process 0, :type :invoke, :f :put, :key "k", :value "a\\"b\\\\c\\u0041"} {:process 0, :type :ok, :f :put, :key "k", :value "a\\"b\\\\cA"}\n',
      ),
    );
    expect(ops).toEqual([
      {
        id: 0,
        client: '0',
        input: { f: 'put', key: 'k', value: 'a"b\\cA' },
        output: '',
        unknown: false,
        call: 1,
        ret: 1.5,
        line: 1,
      },
    ]);
  });

  it('an empty file is an empty history', () => {
    expect(opsOf(parsePorcupineKv(''))).toEqual([]);
    expect(opsOf(parsePorcupineKv('\n\n  \n'))).toEqual([]);
  });
});

describe('parsePorcupineKv: errors name the line, the column and what was expected', () => {
  const invoke = '{:process 0, :type :invoke, :f :get, :key "1", :value nil}';
  const cases: [string, string, string, string][] = [
    [
      'an unknown :type',
      kv(invoke, '{:process 0, :type :okk, :f :get, :key "1", :value "x"}'),
      ':okk',
      'expected :type to be :invoke, :ok, :fail or :info, found :okk',
    ],
    [
      'an unknown :f',
      kv('{:process 0, :type :invoke, :f :read, :key "1", :value nil}'),
      ':read',
      'expected :f to be :get, :put or :append, found :read',
    ],
    [
      'a missing :key',
      kv('{:process 0, :type :invoke, :f :get, :value nil}'),
      '{',
      'expected the operation map to have :key (a string)',
    ],
    [
      'a key that is not a string',
      kv('{:process 0, :type :invoke, :f :get, :key 1, :value nil}'),
      '1,',
      'expected :key to be a string, found 1',
    ],
    [
      'a negative process',
      kv('{:process -1, :type :invoke, :f :get, :key "1", :value nil}'),
      '-1',
      'expected :process to be a non-negative integer (or :nemesis), found -1',
    ],
    [
      'a map cut short',
      kv('{:process 0, :type :invoke, :f :get, :key "1", :value nil'),
      '{',
      'expected } to close the map opened here, found end of input',
    ],
    [
      'a string cut short',
      kv('{:process 0, :type :invoke, :f :put, :key "1, :value nil}'),
      '"1,',
      'expected " to close the string opened here, found end of input',
    ],
    [
      'a last line cut short',
      '{:process 0, :type :invoke, :f :get, :key "1", :value nil',
      '{',
      'expected } to close the map opened here, found end of input',
    ],
    [
      'a completion with nothing open',
      kv('{:process 0, :type :ok, :f :get, :key "1", :value "x"}'),
      ':ok',
      ':ok for process 0, which has no operation open (expected an :invoke on that process first)',
    ],
    [
      'two invocations in flight',
      kv(invoke, invoke),
      '{',
      'process 0 invokes :get while its :get from line 1 is still open (expected a completion first: one operation in flight per process)',
    ],
    [
      'a completion of another function',
      kv(invoke, '{:process 0, :type :ok, :f :put, :key "1", :value "x"}'),
      ':put',
      'expected :f :get to complete the invocation of process 0 on line 1, found :put',
    ],
    [
      'a completion for another key',
      kv(invoke, '{:process 0, :type :ok, :f :get, :key "2", :value "x"}'),
      '"2"',
      'expected :key "1" like the invocation on line 1, found "2"',
    ],
    [
      'a put acknowledged with another value',
      kv(
        '{:process 0, :type :invoke, :f :put, :key "1", :value "a"}',
        '{:process 0, :type :ok, :f :put, :key "1", :value "b"}',
      ),
      '"b"',
      'expected :value "a" like the invocation on line 1, found "b"',
    ],
    [
      'a value that is not a map',
      kv(':put'),
      ':put',
      'expected an operation map like {:process 0, :type :invoke, ...}, found :put',
    ],
    [
      'a vector of something else than maps',
      kv('[{:process 0, :type :invoke, :f :get, :key "1", :value nil}', ' (1 2)]'),
      '(',
      'expected an operation map like {:process 0, :type :invoke, ...}, found (1 2)',
    ],
    [
      'a duplicate key',
      kv('{:process 0, :type :invoke, :type :ok}'),
      ':type :ok',
      'duplicate key :type in the map opened at line 1 column 1',
    ],
    [
      'a stray closer',
      kv('{:process 0, :type :invoke, :f :get, :key "1", :value nil}}'),
      '}}',
      'expected a value, found } with nothing open to close',
    ],
  ];
  for (const [name, text, needle, message] of cases) {
    it(name, () => {
      const lines = text.split('\n');
      const line = lines.findLastIndex((l) => l !== '') + 1;
      const source = lines[line - 1] as string;
      const column =
        needle === 'EOL'
          ? source.length + 1
          : needle === '}}'
            ? source.length
            : source.indexOf(needle) + 1;
      expect(errorsOf(parsePorcupineKv(text))).toEqual([at(line, column, message)]);
    });
  }

  it('a syntax error ends the reading, at the map left open, even with more maps below it', () => {
    const text = kv(
      '{:process 1, :type :invoke, :f :put :key "1", :value "x"',
      '{:process 1, :type :ok, :f :put, :key "1", :value "x"}',
      '{:process 2, :type :invoke, :f :gett, :key "1"}',
      '{:process 2, :type :ok, :f :get, :key "1", :value ""}',
    );
    expect(errorsOf(parsePorcupineKv(text))).toEqual([
      at(1, 1, 'expected } to close the map opened here, found end of input'),
    ]);
  });

  it('a :get invocation may carry a value (Knossos files do): it is ignored', () => {
    const ops = opsOf(
      parsePorcupineKv(
        kv(
          '{:process 0, :type :invoke, :f :get, :key "1", :value "v"}',
          '{:process 0, :type :ok, :f :get, :key "1", :value "w"}',
        ),
      ),
    );
    expect(ops.map((o) => [o.input, o.output])).toEqual([[{ f: 'get', key: '1' }, 'w']]);
  });

  it(`reports at most ${PARSE_ERRORS_MAX} errors`, () => {
    const text = kv(...Array.from({ length: 100 }, () => '{:process 0, :type :bad}'));
    expect(errorsOf(parsePorcupineKv(text))).toHaveLength(PARSE_ERRORS_MAX);
  });
});
