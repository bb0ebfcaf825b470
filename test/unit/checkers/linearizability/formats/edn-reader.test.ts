/**
 * The EDN reader on its own: every part of the grammar, the canonical printing values are
 * compared by, the history stream's three shapes, and errors at the right place with the bounds
 * named (deep nests and long discard chains end in an error, never a stack overflow).
 */
import { describe, expect, it } from 'vitest';
import { readEdnHistory } from '../../../../../src/checkers/linearizability/formats/edn-history-stream.js';
import {
  type EdnNode,
  ednPrint,
} from '../../../../../src/checkers/linearizability/formats/edn-node.js';
import {
  EDN_DEPTH_MAX,
  EDN_ITEMS_MAX,
  EdnSyntaxError,
  readEdnValue,
} from '../../../../../src/checkers/linearizability/formats/edn-reader.js';
import {
  ErrorSink,
  LineIndex,
} from '../../../../../src/checkers/linearizability/formats/parse-result.js';

const print = (text: string) => ednPrint(readEdnValue(text));
/** The offset and message of the error reading `text`. */
function failure(text: string): [number, string] {
  try {
    readEdnValue(text);
  } catch (e) {
    if (e instanceof EdnSyntaxError) return [e.offset, e.message];
    throw e;
  }
  throw new Error(`expected ${JSON.stringify(text)} not to read`);
}

describe('EDN reader: the grammar', () => {
  it('scalars', () => {
    expect(readEdnValue('nil').kind).toBe('nil');
    expect(print('true')).toBe('true');
    expect(print('"a\\"b\\\\c\\n\\t\\u0041"')).toBe('"a\\"b\\\\c\\n\\tA"');
    expect(print(':jepsen.history/op')).toBe(':jepsen.history/op');
    expect(print('foo/bar')).toBe('foo/bar');
    expect(print('-')).toBe('-');
    expect(print('\\a')).toBe('\\a');
    expect(print('\\newline')).toBe('\\newline');
    expect(print('\\u0041')).toBe('\\A');
  });

  it('numbers: bigints, decimals and ratios stay exact; ratios in lowest terms', () => {
    expect(print('+7')).toBe('7');
    expect(print('1N')).toBe('1');
    const big = readEdnValue('123456789012345678901234567890N') as EdnNode & { kind: 'integer' };
    expect(big.exact).toBe(false);
    expect(big.big).toBe(123456789012345678901234567890n);
    expect(print('1.5M')).toBe('1.5M');
    expect(print('2.5e3')).toBe('2500.0');
    expect(print('2/4')).toBe('1/2');
    expect(print('4/2')).toBe('2');
    expect(print('-3/9')).toBe('-1/3');
    expect(print('##Inf')).toBe('##Inf');
    expect(print('##NaN')).toBe('##NaN');
  });

  it('collections, tagged values, discards, comments and commas', () => {
    expect(print('[1, 2 ,3]')).toBe('[1 2 3]');
    expect(print('(a b)')).toBe('(a b)');
    expect(print('#{3 1 2}')).toBe('#{1 2 3}');
    expect(print('{:b 2, :a 1}')).toBe('{:a 1, :b 2}');
    expect(print('#inst "2026-01-01T00:00:00Z"')).toBe('#inst "2026-01-01T00:00:00Z"');
    expect(print('#jepsen.history.Op{:f :read}')).toBe('#jepsen.history.Op {:f :read}');
    expect(print('[1 #_ 2 #_ #_ 3 4 5 ; a comment\n 6]')).toBe('[1 5 6]');
    expect(print('{:a {:b [#{:c} (1 2)]}}')).toBe('{:a {:b [#{:c} (1 2)]}}');
  });

  it('keeps where each value starts and ends', () => {
    const node = readEdnValue(' [:a "b"]');
    expect(node).toMatchObject({ kind: 'vector', start: 1, end: 9 });
    expect(node.kind === 'vector' && node.items[1]).toMatchObject({ start: 5, end: 8 });
  });
});

describe('EDN reader: errors', () => {
  const cases: [string, number, string][] = [
    ['[1 2', 0, 'expected ] to close the vector opened here, found end of input'],
    ['{:a 1 :b]', 8, 'expected a value for the key :b, found ]'],
    ['(1 2]', 4, 'expected ) to close the list opened at line 1 column 1, found ]'],
    ['"abc', 0, 'expected " to close the string opened here, found end of input'],
    ['"a\\qb"', 2, 'expected an escape like \\" \\\\ \\n \\t or \\uXXXX in the string, found \\q'],
    ['{:a 1 :a 2}', 6, 'duplicate key :a in the map opened at line 1 column 1'],
    ['12abc', 0, 'expected a number, found 12abc'],
    ['1/0', 0, 'expected a ratio with a non-zero denominator, found /0'],
    [':', 0, 'expected a keyword like :type, found :'],
    [
      '#:ns{:a 1}',
      0,
      'expected a tag symbol after # (such as #inst or #jepsen.history.Op), found #:ns',
    ],
    ['##Foo', 0, 'expected ##Inf, ##-Inf or ##NaN, found ##Foo'],
    ['\\bogus', 0, 'expected a character like \\a, \\newline or \\u0041, found \\bogus'],
    [']', 0, 'expected a value, found ] with nothing open to close'],
    ['1 2', 2, 'expected one value, found more: 2'],
  ];
  for (const [text, offset, message] of cases)
    it(JSON.stringify(text), () => expect(failure(text)).toEqual([offset, message]));

  it(`nests at most ${EDN_DEPTH_MAX} deep: 10,000 brackets are an error, not a stack overflow`, () => {
    expect(failure('['.repeat(10_000))).toEqual([
      EDN_DEPTH_MAX + 1,
      `values nest deeper than ${EDN_DEPTH_MAX} levels`,
    ]);
    expect(failure(`[${'#_ '.repeat(10_000)}1]`)[1]).toBe(
      `values nest deeper than ${EDN_DEPTH_MAX} levels`,
    );
    expect(failure(`${'#a '.repeat(10_000)}1`)[1]).toBe(
      `values nest deeper than ${EDN_DEPTH_MAX} levels`,
    );
  });

  it(`holds at most ${EDN_ITEMS_MAX} items in one collection`, () => {
    expect(failure(`[${'0 '.repeat(EDN_ITEMS_MAX + 1)}]`)).toEqual([
      0,
      `expected at most ${EDN_ITEMS_MAX} items in one collection (a bound of this reader)`,
    ]);
  });
});

describe('EDN history stream', () => {
  const maps = (text: string) => {
    const sink = new ErrorSink();
    const seen: [number, number, string][] = [];
    readEdnHistory(text, new LineIndex(text), sink, (e) =>
      seen.push([e.line, e.column, ednPrint(e.map)]),
    );
    return { seen, errors: sink.sorted() };
  };

  it('reads a vector, a list or bare maps, tagged records as their maps', () => {
    for (const text of ['[{:a 1}\n {:b 2}]', '({:a 1}\n {:b 2})', '{:a 1}\n{:b 2}\n'])
      expect(maps(text).seen).toEqual([
        [1, 2 - (text[0] === '{' ? 1 : 0), '{:a 1}'],
        [2, 2 - (text[0] === '{' ? 1 : 0), '{:b 2}'],
      ]);
    expect(maps('[#jepsen.history.Op{:a 1}]').seen).toEqual([[1, 2, '{:a 1}']]);
  });

  it('reports what is not an operation map and goes on', () => {
    const r = maps('[{:a 1} 7 {:b 2}]');
    expect(r.seen.map((s) => s[2])).toEqual(['{:a 1}', '{:b 2}']);
    expect(r.errors).toEqual([
      {
        line: 1,
        column: 9,
        message: 'expected an operation map like {:process 0, :type :invoke, ...}, found 7',
      },
    ]);
  });

  it('nothing may follow the closing bracket but comments', () => {
    expect(maps('[{:a 1}] ; done\n').errors).toEqual([]);
    expect(maps('[{:a 1}] x').errors[0]?.message).toBe(
      'expected the end of the history after the ] that closes it, found x',
    );
  });
});
