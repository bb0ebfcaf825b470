/**
 * Importers never throw, whatever the text: random text, text made of each format's own tokens,
 * and real histories truncated and mutated. Every error points inside the text, and whatever
 * parses is well formed. The catch-all in `guard` must never be what answers: an "internal error"
 * here is a bug in an importer.
 */
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { fc, test } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import {
  detectFormat,
  parseEdnHistory,
  parseFaultlineHistory,
  parseJepsenEtcd,
  parsePorcupineKv,
  type ParseResult,
} from '../../../../../src/checkers/linearizability/formats/index.js';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '../../../../..');
const conformance = join(repo, '../shared/conformance/porcupine');
const read = (path: string): string => readFileSync(join(conformance, path), 'utf8');

const PARSERS: Record<string, (text: string) => ParseResult<unknown, unknown>> = {
  'porcupine-kv': parsePorcupineKv,
  'jepsen-etcd': parseJepsenEtcd,
  edn: parseEdnHistory,
  json: parseFaultlineHistory,
};

const EDN_SAMPLE = [
  '[{:process 0, :type :invoke, :f :write, :value 3, :time 10, :index 0}',
  ' {:process 1, :type :invoke, :f :cas, :value [3 4], :time 12, :index 1}',
  ' #jepsen.history.Op{:process :nemesis, :type :info, :f :start, :value nil, :time 13}',
  ' {:process 0, :type :ok, :f :write, :value 3, :time 20, :index 2} ; comment',
  ' {:process 1, :type :fail, :f :cas, :value [3 4], :time 25, :error "a\\"b"}',
  ' {:process 0, :type :invoke, :f :read, :value nil, :time 30}',
  ' {:process 0, :type :info, :f :read, :value nil, :time 40}]',
  '',
].join('\n');

const JSON_SAMPLE = `${JSON.stringify(
  {
    schemaVersion: 1,
    seed: 3,
    scenario: 's',
    operations: [
      {
        id: 0,
        client: 'c1',
        f: 'append',
        input: { f: 'append', key: 'k', value: 'c1.1' },
        output: 'c1.1',
        invokeUs: 5,
        completeUs: 9,
        outcome: 'ok',
        phase: 'faulty',
      },
      {
        id: 1,
        client: 'c2',
        f: 'get',
        input: { f: 'get', key: 'k' },
        invokeUs: 6,
        outcome: 'info',
        error: 'timeout',
        phase: 'faulty',
      },
      {
        id: 3,
        client: 'c1',
        f: 'put',
        input: { f: 'put', key: 'k', value: 'é\u0001' },
        invokeUs: 10,
        completeUs: 12,
        outcome: 'fail',
        phase: 'healed',
      },
    ],
  },
  null,
  2,
)}\n`;

/** Real or realistic text for each importer. */
const SAMPLES: Record<string, string> = {
  'porcupine-kv': read('kv/c01-bad.txt'),
  'jepsen-etcd': `${read('jepsen/etcd_000.log').slice(0, 2000)}${read('jepsen/etcd_102.log').slice(0, 2000)}`,
  edn: EDN_SAMPLE,
  json: JSON_SAMPLE,
};

/** The tokens each format is made of, so random text reaches past the first check. */
const TOKENS = fc.constantFrom(
  '{',
  '}',
  '[',
  ']',
  '(',
  ')',
  '#',
  '#_',
  '#{',
  '##Inf',
  ':',
  ',',
  ' ',
  '\t',
  '\n',
  '\r\n',
  '"',
  '\\',
  '\\u00',
  ';',
  '\uFEFF',
  'é',
  ':process',
  ':type',
  ':f',
  ':key',
  ':value',
  ':time',
  ':index',
  ':nemesis',
  ':invoke',
  ':ok',
  ':fail',
  ':info',
  ':get',
  ':put',
  ':append',
  ':read',
  ':write',
  ':cas',
  ':timed-out',
  '0',
  '1',
  '-1',
  '7N',
  '1.5',
  '99999999999999999999',
  'nil',
  'true',
  '"k"',
  '[1 2]',
  'INFO  jepsen.util - ',
  'INFO jepsen.util -',
  '"schemaVersion"',
  '"operations"',
  '"id"',
  '"client"',
  '"f"',
  '"input"',
  '"outcome"',
  '"ok"',
  '"info"',
  '"invokeUs"',
  '"completeUs"',
  '"get"',
  'null',
  'false',
);
const tokenText = fc.array(TOKENS, { maxLength: 60 }).map((ts) => ts.join(''));

/** A mutation of a text: truncation, deletion, insertion, replacement, a duplicated or dropped line. */
const mutated = (text: string): fc.Arbitrary<string> =>
  fc.oneof(
    fc.nat(text.length).map((n) => text.slice(0, n)),
    fc
      .tuple(fc.nat(text.length), fc.nat(40))
      .map(([at, len]) => text.slice(0, at) + text.slice(at + len)),
    fc
      .tuple(fc.nat(text.length), fc.oneof(tokenText, fc.string({ maxLength: 8 })))
      .map(([at, s]) => text.slice(0, at) + s + text.slice(at)),
    fc
      .tuple(fc.nat(text.length), fc.string({ minLength: 1, maxLength: 1, unit: 'binary' }))
      .map(([at, c]) => text.slice(0, at) + c + text.slice(at + 1)),
    fc.nat(200).map((i) => {
      const lines = text.split('\n');
      const k = i % lines.length;
      return [...lines.slice(0, k), lines[k], ...lines.slice(k)].join('\n');
    }),
    fc.nat(200).map((i) => {
      const lines = text.split('\n');
      const k = i % lines.length;
      return [...lines.slice(0, k), ...lines.slice(k + 1)].join('\n');
    }),
  );

function expectSound(text: string, r: ParseResult<unknown, unknown>, denseIds: boolean): void {
  if (!r.ok) {
    expect(r.errors.length).toBeGreaterThan(0);
    const lineCount = text.split('\n').length;
    for (const e of r.errors) {
      expect(e.message).not.toMatch(/^internal error/);
      expect(e.line).toBeGreaterThanOrEqual(1);
      expect(e.line).toBeLessThanOrEqual(lineCount);
      expect(e.column).toBeGreaterThanOrEqual(1);
    }
    return;
  }
  r.ops.forEach((op, i) => {
    if (denseIds) expect(op.id).toBe(i);
    expect(op.ret).toBeGreaterThanOrEqual(op.call);
    if (op.ret === Infinity) expect(op.unknown).toBe(true);
  });
}

describe('importers never throw', () => {
  for (const [name, parse] of Object.entries(PARSERS)) {
    const dense = name !== 'json';
    describe(name, () => {
      test.prop([fc.string({ maxLength: 200, unit: 'binary' })])('on random text', (text) => {
        expectSound(text, parse(text), dense);
        detectFormat(text, 'x');
      });
      test.prop([tokenText])('on text made of history tokens', (text) => {
        expectSound(text, parse(text), dense);
      });
      test.prop([mutated(SAMPLES[name] as string)])(
        'on a real history truncated or mutated',
        (text) => {
          expectSound(text, parse(text), dense);
        },
      );
    });
  }
});
