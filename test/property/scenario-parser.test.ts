/**
 * The scenario parser never throws, whatever it is given, and every error it reports has a real
 * position (line and column from 1). Inputs: random text, random JSON-like values written as
 * YAML, and mutations of a valid scenario (fields deleted, replaced or added, text truncated).
 */
import { readFileSync } from 'node:fs';
import { fc, test } from '@fast-check/vitest';
import { expect } from 'vitest';
import { isMap, isSeq, parseDocument, stringify, type Document } from 'yaml';
import { parseScenario, type ScenarioError } from '../../src/scenario/index.js';

const VALID = readFileSync(
  new URL('../unit/scenario/fixtures/pb-full.yaml', import.meta.url),
  'utf8',
);
const RUNS = { numRuns: 300 };

function checkNeverThrows(text: string): void {
  let result: ReturnType<typeof parseScenario> | undefined;
  expect(() => (result = parseScenario(text, 'prop.yaml'))).not.toThrow();
  if (result !== undefined && !result.ok) {
    expect(result.errors.length).toBeGreaterThan(0);
    for (const e of result.errors as ScenarioError[]) {
      expect(Number.isInteger(e.line) && e.line >= 1, `line of ${JSON.stringify(e)}`).toBe(true);
      expect(Number.isInteger(e.column) && e.column >= 1, `column of ${JSON.stringify(e)}`).toBe(
        true,
      );
      expect(e.file).toBe('prop.yaml');
      expect(typeof e.message === 'string' && e.message.length > 0).toBe(true);
    }
  }
}

/** Values that look like what a scenario holds: durations, ratios, node names, field names. */
const scalar = fc.oneof(
  fc.constantFrom(
    '10ms',
    '2s',
    '-5ms',
    '1..10',
    'n1',
    'n9',
    'random',
    'primary',
    'halves',
    'bridge',
    'kv',
    'none',
    'minority',
    'all',
    'uniform',
    'crash',
    'partition',
    '',
  ),
  fc.constantFrom(0, 1, -1, 0.5, 2, 64, 65, 1e21, Number.MAX_SAFE_INTEGER),
  fc.boolean(),
  fc.constant(null),
  fc.string({ maxLength: 12 }),
  fc.double(),
  fc.integer(),
);
const FIELDS = [
  'protocol',
  'options',
  'bugs',
  'seed',
  'seeds',
  'cluster',
  'nodes',
  'network',
  'delay',
  'dist',
  'min',
  'max',
  'mean',
  'value',
  'loss',
  'links',
  'from',
  'to',
  'disk',
  'faults',
  'crash',
  'clocks',
  'workload',
  'mix',
  'schedule',
  'random',
  'kind',
  'every',
  'for',
  'at',
  'partition',
  'clog',
  'skew',
  'by',
  'phases',
  'checkers',
  'limits',
  'mode',
  '__proto__',
  'constructor',
];
const key = fc.oneof(fc.constantFrom(...FIELDS), fc.string({ maxLength: 8 }));
const value: fc.Arbitrary<unknown> = fc.letrec<{ v: unknown }>((tie) => ({
  v: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    scalar,
    fc.array(tie('v'), { maxLength: 4 }),
    fc.dictionary(key, tie('v'), { maxKeys: 5 }),
  ),
})).v;

test.prop([fc.string({ unit: 'binary', maxLength: 200 })], RUNS)(
  'never throws on random text',
  (text) => {
    checkNeverThrows(text);
  },
);

test.prop(
  [
    fc.string({
      unit: fc.constantFrom(...'{}[]:,-#&*!|>\'"% \n\tabcn1s0.'.split('')),
      maxLength: 120,
    }),
  ],
  RUNS,
)('never throws on YAML-ish punctuation soup', (text) => {
  checkNeverThrows(text);
});

test.prop([fc.dictionary(key, value, { maxKeys: 8 })], RUNS)(
  'never throws on random values written as YAML',
  (doc) => {
    checkNeverThrows(stringify(doc));
    checkNeverThrows(stringify({ protocol: 'primary-backup', ...doc }));
  },
);

test.prop([value], RUNS)('never throws on random values written as JSON', (v) => {
  checkNeverThrows(JSON.stringify(v) ?? 'null');
});

// ------------------------------------------------------------------------- mutations of a valid file

type Mutation = {
  readonly kind: 'delete' | 'replace' | 'insert';
  readonly pick: number;
  readonly key: string;
  readonly value: unknown;
};

/** Every collection path in the document, in a stable order, so `pick` chooses one. */
function collectionPaths(doc: Document): (string | number)[][] {
  const out: (string | number)[][] = [];
  const walk = (node: unknown, path: (string | number)[]) => {
    if (isMap(node)) {
      out.push(path);
      for (const pair of node.items)
        walk(pair.value, [...path, String((pair.key as { value?: unknown } | null)?.value)]);
    } else if (isSeq(node)) {
      out.push(path);
      node.items.forEach((item, i) => {
        walk(item, [...path, i]);
      });
    }
  };
  walk(doc.contents, []);
  return out;
}

function mutate(text: string, mutations: readonly Mutation[]): string {
  const doc = parseDocument(text);
  for (const m of mutations) {
    const paths = collectionPaths(doc);
    if (paths.length === 0) break;
    const path = paths[m.pick % paths.length] as (string | number)[];
    const target = path.length === 0 ? doc.contents : doc.getIn(path, true);
    if (isMap(target)) {
      const keys = target.items.map((p) => String((p.key as { value?: unknown } | null)?.value));
      const existing = keys[m.pick % Math.max(1, keys.length)];
      if (m.kind === 'delete' && existing !== undefined) target.delete(existing);
      else if (m.kind === 'replace' && existing !== undefined)
        target.set(existing, doc.createNode(m.value));
      else target.set(m.key, doc.createNode(m.value));
    } else if (isSeq(target)) {
      const index = m.pick % Math.max(1, target.items.length);
      if (m.kind === 'delete') target.delete(index);
      else if (m.kind === 'replace' && target.items.length > 0)
        target.set(index, doc.createNode(m.value));
      else target.add(doc.createNode(m.value));
    }
  }
  return doc.toString();
}

const mutation: fc.Arbitrary<Mutation> = fc.record({
  kind: fc.constantFrom('delete' as const, 'replace' as const, 'insert' as const),
  pick: fc.nat(1000),
  key: key,
  value,
});

test('the fixture itself is valid', () => {
  const r = parseScenario(VALID, 'prop.yaml');
  expect(r.ok).toBe(true);
});

test.prop([fc.array(mutation, { minLength: 1, maxLength: 4 })], RUNS)(
  'never throws on mutations of a valid scenario',
  (mutations) => {
    checkNeverThrows(mutate(VALID, mutations));
  },
);

test.prop([fc.nat(VALID.length)], RUNS)('never throws on a truncated valid scenario', (cut) => {
  checkNeverThrows(VALID.slice(0, cut));
});

test.prop(
  [fc.array(mutation, { maxLength: 2 }), fc.nat(VALID.length), fc.string({ maxLength: 6 })],
  RUNS,
)('never throws on mutated, truncated and spliced text', (mutations, cut, splice) => {
  const text = mutate(VALID, mutations);
  const at = cut % (text.length + 1);
  checkNeverThrows(text.slice(0, at) + splice + text.slice(at));
});
