import { describe, expect, it } from 'vitest';
import { parseJepsenEtcd } from '../../../../../src/checkers/linearizability/formats/index.js';
import { at, errorsOf, opsOf } from './helpers.js';

const log = (...lines: string[]): string =>
  `${lines.map((l) => (l.startsWith(' ') || l.startsWith('!') ? l.slice(1) : `INFO  jepsen.util - ${l}`)).join('\n')}\n`;

describe('parseJepsenEtcd: meaning (conformance README, format 1)', () => {
  it('reads calls and known completions, tab- or space-separated', () => {
    const text = log(
      '0\t:invoke\t:read\tnil',
      '1   :invoke :write  3',
      '2 :invoke :cas [3 4]',
      '1\t:ok\t:write\t3',
      '0\t:ok\t:read\tnil',
      '2 :ok :cas [3 4]',
      '0 :invoke :read nil',
      '0 :ok :read 4',
    );
    expect(opsOf(parseJepsenEtcd(text))).toEqual([
      {
        id: 0,
        client: '0',
        input: { f: 'read' },
        output: { value: null },
        unknown: false,
        call: 1,
        ret: 5,
        line: 1,
      },
      {
        id: 1,
        client: '1',
        input: { f: 'write', value: 3 },
        output: {},
        unknown: false,
        call: 2,
        ret: 4,
        line: 2,
      },
      {
        id: 2,
        client: '2',
        input: { f: 'cas', from: 3, to: 4 },
        output: { ok: true },
        unknown: false,
        call: 3,
        ret: 6,
        line: 3,
      },
      {
        id: 3,
        client: '0',
        input: { f: 'read' },
        output: { value: 4 },
        unknown: false,
        call: 7,
        ret: 8,
        line: 7,
      },
    ]);
  });

  it(':fail :cas is a COMPLETED cas with ok=false (etcd said "compare failed"), not a dropped one', () => {
    const ops = opsOf(parseJepsenEtcd(log('4\t:invoke\t:cas\t[1 2]', '4\t:fail\t:cas\t[1 2]')));
    expect(ops).toEqual([
      {
        id: 0,
        client: '4',
        input: { f: 'cas', from: 1, to: 2 },
        output: { ok: false },
        unknown: false,
        call: 1,
        ret: 2,
        line: 1,
      },
    ]);
  });

  it(':fail :read :timed-out returns at its line with an unknown output', () => {
    const ops = opsOf(parseJepsenEtcd(log('1 :invoke :read nil', '1 :fail :read :timed-out')));
    expect(ops).toEqual([
      {
        id: 0,
        client: '1',
        input: { f: 'read' },
        output: { value: null },
        unknown: true,
        call: 1,
        ret: 2,
        line: 1,
      },
    ]);
  });

  it(':info lines leave the operation open forever, like an invocation never completed; the id is retired', () => {
    const text = log(
      '2\t:invoke\t:write\t1',
      '3\t:invoke\t:cas\t[0 1]',
      '2\t:info\t:write\t:timed-out',
      '7\t:invoke\t:read\tnil',
      '3\t:info\t:cas\t:timed-out',
    );
    const ops = opsOf(parseJepsenEtcd(text));
    expect(ops.map((o) => [o.client, o.input.f, o.unknown, o.call, o.ret])).toEqual([
      ['2', 'write', true, 1, Infinity],
      ['3', 'cas', true, 2, Infinity],
      ['7', 'read', true, 4, Infinity],
    ]);
    expect(errorsOf(parseJepsenEtcd(`${text}INFO  jepsen.util - 2\t:ok\t:write\t1\n`))).toEqual([
      at(
        6,
        23,
        ':ok for process 2, which has no operation open (expected an :invoke on that process first)',
      ),
    ]);
  });

  it('any other :fail (no pattern of Porcupine matches it) leaves the operation open, as Porcupine skipping it does', () => {
    const ops = opsOf(
      parseJepsenEtcd(
        log(
          '1 :invoke :write 3',
          '1 :fail :write 3',
          '2 :invoke :cas [1 2]',
          '2 :fail :cas :timed-out',
        ),
      ),
    );
    expect(ops.map((o) => [o.unknown, o.ret])).toEqual([
      [true, Infinity],
      [true, Infinity],
    ]);
  });

  it('ignores other log lines, free-text jepsen.util messages and the nemesis, like Porcupine', () => {
    const text = log(
      '!2015-06-01 12:00:00 INFO  jepsen.core - Running test',
      '!INFO  jepsen.core - 0 :invoke :read nil',
      'Worker 3 starting',
      ':nemesis\t:info\t:start\tnil',
      '!',
      '0\t:invoke\t:read\tnil   ',
      '0\t:ok\t:read\t2\r',
    );
    expect(opsOf(parseJepsenEtcd(text))).toEqual([
      {
        id: 0,
        client: '0',
        input: { f: 'read' },
        output: { value: 2 },
        unknown: false,
        call: 6,
        ret: 7,
        line: 6,
      },
    ]);
  });

  it('an empty file is an empty history (etcd_095.log)', () => {
    expect(opsOf(parseJepsenEtcd(''))).toEqual([]);
  });
});

describe('parseJepsenEtcd: a line that is an operation must be well formed', () => {
  const cases: [string, string[], string, string][] = [
    [
      'an unknown type',
      ['0 :okk :read nil'],
      ':okk',
      'expected the type :invoke, :ok, :fail or :info, found :okk',
    ],
    [
      'an unknown function',
      ['0 :invoke :append 3'],
      ':append',
      'expected the function :read, :write or :cas, found :append',
    ],
    [
      'a missing type',
      ['0'],
      'EOL',
      'expected the type :invoke, :ok, :fail or :info, found end of line',
    ],
    [
      'a missing value',
      ['0 :invoke :write'],
      'EOL',
      'expected nil, an integer, [A B] or a keyword like :timed-out, found end of line',
    ],
    [
      'a value of no known shape',
      ['0 :invoke :cas [1]'],
      '[1]',
      'expected nil, an integer, [A B] or a keyword like :timed-out, found [1]',
    ],
    [
      'a read invoked with a value',
      ['0 :invoke :read 3'],
      '3',
      'expected nil after :invoke :read, found 3',
    ],
    [
      'a write of nil',
      ['0 :invoke :write nil'],
      'nil',
      'expected the integer to write after :invoke :write, found nil',
    ],
    [
      'a read that returns a keyword',
      ['0 :invoke :read nil', '0 :ok :read :timed-out'],
      ':timed-out',
      'expected nil or the integer read after :ok :read, found :timed-out',
    ],
    [
      'a write acknowledged with another value',
      ['0 :invoke :write 3', '0 :ok :write 4'],
      '4',
      'expected 3 like the invocation on line 1, found 4',
    ],
    [
      'a cas failed with other arguments',
      ['0 :invoke :cas [1 2]', '0 :fail :cas [2 1]'],
      '[2 1]',
      'expected [1 2] like the invocation on line 1, found [2 1]',
    ],
    [
      'a completion with nothing open',
      ['3 :ok :read 1'],
      ':ok',
      ':ok for process 3, which has no operation open (expected an :invoke on that process first)',
    ],
    [
      'a completion of another function',
      ['0 :invoke :read nil', '0 :ok :write 1'],
      ':write',
      'expected :f :read to complete the invocation of process 0 on line 1, found :write',
    ],
    [
      'two operations in flight',
      ['0 :invoke :read nil', '0 :invoke :read nil'],
      '0',
      'process 0 invokes :read while its :read from line 1 is still open (expected a completion first: one operation in flight per process)',
    ],
    [
      'a negative process id',
      ['-1 :invoke :read nil'],
      '-1',
      'expected a non-negative process id, found -1',
    ],
    [
      'an integer too large',
      ['0 :invoke :write 99999999999999999999'],
      '9',
      'expected an integer below 2^53, found 99999999999999999999',
    ],
  ];
  for (const [name, lines, needle, message] of cases) {
    it(name, () => {
      const text = log(...lines);
      const source = text.split('\n')[lines.length - 1] as string;
      const column =
        needle === 'EOL'
          ? source.length + 1
          : source.indexOf(needle, 'INFO  jepsen.util - '.length) + 1;
      expect(errorsOf(parseJepsenEtcd(text))).toEqual([at(lines.length, column, message)]);
    });
  }

  it('one mistake gives one error: a malformed call does not make its completion an error too', () => {
    expect(
      errorsOf(
        parseJepsenEtcd(
          log('0 :invoke :cas [1 x]', '0 :ok :cas [1 x]', '1 :invoke :read nil', '1 :ok :read nil'),
        ),
      ),
    ).toEqual([
      at(1, 36, 'expected nil, an integer, [A B] or a keyword like :timed-out, found [1 x]'),
      at(2, 32, 'expected nil, an integer, [A B] or a keyword like :timed-out, found [1 x]'),
    ]);
  });
});
