/**
 * `check --export edn` round trips: a history read from faultline JSON, a Porcupine kv file or
 * a Jepsen etcd log, written as Jepsen EDN and read back with the same model's codec, gives the
 * same operations (inputs, outputs, known or not), the same real-time order between every pair
 * of completed operations, and the same verdict. Every Porcupine conformance file is tried.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { checkLinearizable } from '../../../../../src/checkers/linearizability/check.js';
import {
  parseFaultlineHistory,
  parseJepsenEtcd,
  parsePorcupineKv,
} from '../../../../../src/checkers/linearizability/formats/index.js';
import { exportEdn } from '../../../../../src/checkers/linearizability/formats/edn-export.js';
import { jepsenCodecFor } from '../../../../../src/checkers/linearizability/formats/jepsen/index.js';
import { parseJepsenEdn } from '../../../../../src/checkers/linearizability/formats/jepsen/parse.js';
import { findModel } from '../../../../../src/checkers/linearizability/models/index.js';
import type { LinOp } from '../../../../../src/checkers/linearizability/types.js';
import { opsOf } from './helpers.js';

const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));
const PORCUPINE = here('../../../../../../shared/conformance/porcupine');

/** Exports, reads back, and compares; returns the exported text. */
function roundTrip(ops: readonly LinOp[], modelName: string): string {
  const codec = jepsenCodecFor(modelName)!;
  const text = exportEdn(ops, codec, 'a test');
  const back = opsOf(parseJepsenEdn(text, codec)) as LinOp[];
  const sorted = [...ops].sort((a, b) => a.call - b.call || a.id - b.id);
  // What the model looks at: the input, known or not, and the output as it describes it (a put's
  // output, which no kv model reads, is not kept).
  const model = findModel(modelName)!;
  const seen = (o: LinOp) => [o.input, o.unknown, model.describe(o.input, o.output, o.unknown)];
  expect(back.map(seen)).toEqual(sorted.map(seen));
  // Every pair of operations keeps its real-time order: a before b iff a returned before b began.
  const order = (list: readonly LinOp[]) =>
    list.flatMap((a) => list.map((b) => (!a.unknown && a.ret < b.call ? 1 : 0))).join('');
  expect(order(back)).toBe(order(sorted));
  const verdict = (list: readonly LinOp[]) =>
    checkLinearizable(list, model, { evidence: false }).verdict;
  expect(verdict(back)).toBe(verdict(ops));
  return text;
}

describe('check --export edn', () => {
  it('a faultline history.json, with its unknown append and absent-key get', () => {
    const text = readFileSync(here('../../../../fixtures/lin/kv-history.json'), 'utf8');
    const edn = roundTrip(opsOf(parseFaultlineHistory(text)) as LinOp[], 'kv-list');
    expect(edn).toContain('{:process 1, :type :ok, :f :get, :value nil, :key "y"}');
    // c1's append is open forever: its :info comes last, and c1 goes on as a new process.
    expect(
      edn.trimEnd().endsWith('{:process 0, :type :info, :f :append, :value "b", :key "x"}]'),
    ).toBe(true);
  });

  for (const f of readdirSync(join(PORCUPINE, 'kv')).sort())
    it(`Porcupine kv/${f}`, () => {
      const text = readFileSync(join(PORCUPINE, 'kv', f), 'utf8');
      roundTrip(opsOf(parsePorcupineKv(text)) as LinOp[], 'kv');
    });

  it('every Porcupine etcd log, failed cas included (marked, so it reads back as ok=false)', () => {
    let failedCas = 0;
    for (const f of readdirSync(join(PORCUPINE, 'jepsen')).sort()) {
      const ops = opsOf(
        parseJepsenEtcd(readFileSync(join(PORCUPINE, 'jepsen', f), 'utf8')),
      ) as LinOp[];
      const edn = roundTrip(ops, 'cas-register');
      failedCas += edn.split(':faultline/compare-failed true').length - 1;
    }
    expect(failedCas).toBeGreaterThan(100);
  });
});
