import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { parseFaultlineHistory } from '../../../../../src/checkers/linearizability/formats/index.js';
import { linOpsFromHistory } from '../../../../../src/checkers/linearizability/from-history.js';
import { stableStringify } from '../../../../../src/core/encoding.js';
import type { KvInput, Operation } from '../../../../../src/core/history.js';
import { at, errorsOf, opsOf } from './helpers.js';

/** The bytes `faultline run` writes (src/cli/report-writer.ts). */
const historyJson = (
  operations: readonly Operation[],
  extra: Record<string, unknown> = {},
): string =>
  `${JSON.stringify(JSON.parse(stableStringify({ schemaVersion: 1, seed: 7, scenario: 'test', operations, ...extra })), null, 2)}\n`;

const kvInput: fc.Arbitrary<KvInput> = fc.oneof(
  fc.record({ f: fc.constant('get' as const), key: fc.constantFrom('k0', 'k1') }),
  fc.record({
    f: fc.constantFrom('put' as const, 'append' as const),
    key: fc.constantFrom('k0', 'k1'),
    value: fc.string({ maxLength: 6 }),
  }),
);

const history: fc.Arbitrary<Operation[]> = fc
  .array(
    fc.record({
      input: kvInput,
      outcome: fc.constantFrom('ok' as const, 'fail' as const, 'info' as const),
      gapUs: fc.nat(50),
      durationUs: fc.nat(100),
      output: fc.option(fc.string({ maxLength: 8 }), { nil: null }),
      idGap: fc.nat(2),
    }),
    { maxLength: 25 },
  )
  .map((specs) => {
    let t = 0;
    let id = -1;
    return specs.map((s, i): Operation => {
      t += s.gapUs;
      id += 1 + s.idGap;
      const done = s.outcome !== 'info';
      return {
        id,
        client: `c${(i % 3) + 1}`,
        f: s.input.f,
        input: s.input,
        output: s.outcome === 'ok' ? s.output : undefined,
        invokeUs: t,
        completeUs: done ? t + s.durationUs : undefined,
        outcome: s.outcome,
        ...(s.outcome === 'ok' ? { node: 'n1' } : { error: 'timeout' }),
        phase: 'faulty',
      };
    });
  });

describe('parseFaultlineHistory: the same operations as a run checks', () => {
  test.prop([history])(
    'equals linOpsFromHistory on the history it was written from, with lines pointing at each operation',
    (h) => {
      const text = historyJson(h);
      const ops = opsOf(parseFaultlineHistory(text));
      expect(ops.map(({ line: _line, ...o }) => o)).toEqual(linOpsFromHistory(h));
      const lines = text.split('\n');
      for (const op of ops) {
        expect(lines[op.line! - 1]!.trim()).toBe('{');
        expect(lines.slice(op.line!, op.line! + 12)).toContain(`      "id": ${op.id},`);
      }
    },
  );

  it('drops fail, keeps info open forever with output null, keeps a get of an absent key as null (kv-list)', () => {
    const h: Operation[] = [
      {
        id: 0,
        client: 'c1',
        f: 'append',
        input: { f: 'append', key: 'k', value: 'a' },
        output: undefined,
        invokeUs: 1,
        completeUs: 5,
        outcome: 'fail',
        error: 'not-primary',
        phase: 'faulty',
      },
      {
        id: 1,
        client: 'c2',
        f: 'get',
        input: { f: 'get', key: 'k' },
        output: null,
        invokeUs: 2,
        completeUs: 9,
        outcome: 'ok',
        phase: 'faulty',
      },
      {
        id: 2,
        client: 'c1',
        f: 'put',
        input: { f: 'put', key: 'k', value: 'b' },
        output: undefined,
        invokeUs: 6,
        completeUs: undefined,
        outcome: 'info',
        error: 'timeout',
        phase: 'healed',
      },
    ];
    expect(opsOf(parseFaultlineHistory(historyJson(h)))).toEqual([
      {
        id: 1,
        client: 'c2',
        input: { f: 'get', key: 'k' },
        output: null,
        unknown: false,
        call: 2,
        ret: 9,
        line: 18,
      },
      {
        id: 2,
        client: 'c1',
        input: { f: 'put', key: 'k', value: 'b' },
        output: null,
        unknown: true,
        call: 6,
        ret: Infinity,
        line: 32,
      },
    ]);
  });

  it('an empty history is fine', () => {
    expect(opsOf(parseFaultlineHistory(historyJson([])))).toEqual([]);
  });
});

describe('parseFaultlineHistory: errors carry the field path and where its value starts', () => {
  const op = (fields: Record<string, unknown>): string =>
    JSON.stringify({
      id: 0,
      client: 'c1',
      f: 'get',
      input: { f: 'get', key: 'k' },
      output: 'x',
      invokeUs: 1,
      completeUs: 2,
      outcome: 'ok',
      phase: 'faulty',
      ...fields,
    });
  const doc = (...ops: string[]): string =>
    `{\n  "schemaVersion": 1,\n  "operations": [\n${ops.map((o) => `    ${o}`).join(',\n')}\n  ]\n}\n`;
  /** [line, column or a text whose first occurrence on that line gives the column, message] */
  const cases: [string, string, [number, number | string, string][]][] = [
    [
      'an unknown schemaVersion',
      '{\n  "schemaVersion": 2,\n  "operations": []\n}\n',
      [[2, 20, 'schemaVersion: expected 1 (the only version this reader knows), found 2']],
    ],
    [
      'no schemaVersion',
      '{\n  "operations": []\n}\n',
      [[1, 1, 'schemaVersion: expected 1, found nothing (the field is missing)']],
    ],
    [
      'no operations',
      '{ "schemaVersion": 1 }',
      [[1, 1, 'operations: expected an array of operations, found nothing (the field is missing)']],
    ],
    [
      'operations that are not an array',
      '{ "schemaVersion": 1, "operations": {} }',
      [[1, 37, 'operations: expected an array of operations, found an object']],
    ],
    [
      'a document that is not an object',
      '[1, 2]',
      [
        [
          1,
          1,
          'expected a history object { "schemaVersion": 1, "operations": [...] }, found an array',
        ],
      ],
    ],
    [
      'an unknown outcome',
      doc(op({}), op({ id: 1, outcome: 'okk' })),
      [
        [
          5,
          '"okk"',
          'operations.1.outcome: expected "ok", "fail", "info" or "pending", found "okk"',
        ],
      ],
    ],
    [
      'a function this reader does not take',
      doc(op({ f: 'transfer', input: { f: 'transfer', key: 'k' } })),
      [
        [
          4,
          '"transfer"',
          'operations.0.f: expected "get", "put" or "append" (this reader takes key/value histories), found "transfer"',
        ],
      ],
    ],
    [
      'an input for another function',
      doc(op({ input: { f: 'put', key: 'k', value: 'v' } })),
      [[4, '"put"', 'operations.0.input.f: expected "get" like the operation\'s f, found "put"']],
    ],
    [
      'a put without a value',
      doc(op({ f: 'put', input: { f: 'put', key: 'k' } })),
      [
        [
          4,
          '{"f":"put","key"',
          'operations.0.input.value: expected a string, found nothing (the field is missing)',
        ],
      ],
    ],
    [
      'ids out of order',
      doc(op({ id: 3 }), op({ id: 2 })),
      [
        [
          5,
          '2,',
          'operations.1.id: expected an id greater than 3 (operations are listed in invocation order), found 2',
        ],
      ],
    ],
    [
      'a completion before the invocation',
      doc(op({ invokeUs: 10, completeUs: 4 })),
      [
        [
          4,
          '4,"outcome"',
          'operations.0.completeUs: expected a time at or after invokeUs 10, found 4',
        ],
      ],
    ],
    [
      'an ok operation without completeUs',
      doc(op({ completeUs: undefined })),
      [
        [
          4,
          5,
          'operations.0.completeUs: expected the completion time in microseconds (the operation is ok), found nothing (the field is missing)',
        ],
      ],
    ],
    [
      'a fractional time',
      doc(op({ invokeUs: 1.5 })),
      [
        [
          4,
          '1.5',
          'operations.0.invokeUs: expected a non-negative integer number of microseconds, found 1.5',
        ],
      ],
    ],
    [
      'a get that returned a number',
      doc(op({ output: 3 })),
      [
        [
          4,
          '3,"invokeUs"',
          'operations.0.output: expected the string the get returned, or null, found 3',
        ],
      ],
    ],
    [
      'an operation that is not an object',
      doc('"get"'),
      [[4, 5, 'operations.0: expected an operation object, found "get"']],
    ],
    [
      'a trailing comma',
      '{ "schemaVersion": 1, "operations": [], }',
      [[1, 41, 'expected a "key" in the object, found }']],
    ],
    [
      'a duplicate key',
      '{ "schemaVersion": 1, "schemaVersion": 1, "operations": [] }',
      [[1, 23, 'duplicate key "schemaVersion" in the object']],
    ],
    [
      'a truncated file',
      '{ "schemaVersion": 1, "operations": [',
      [
        [
          1,
          38,
          'expected a value (object, array, string, number, true, false or null), found end of input',
        ],
      ],
    ],
    [
      'text after the document',
      '{ "schemaVersion": 1, "operations": [] }\nxyz\n',
      [[2, 1, 'expected the end of the document, found xyz']],
    ],
    [
      'a raw newline in a string',
      '{ "schemaVersion": 1, "operations": [], "x": "a\nb" }',
      [[1, 48, 'expected " to close the string before the end of the line']],
    ],
  ];
  for (const [name, text, expected] of cases) {
    it(name, () => {
      const lines = text.split('\n');
      const column = (l: number, c: number | string): number =>
        typeof c === 'number' ? c : (lines[l - 1] as string).indexOf(c) + 1;
      expect(errorsOf(parseFaultlineHistory(text))).toEqual(
        expected.map(([l, c, m]) => at(l, column(l, c), m)),
      );
    });
  }
});
