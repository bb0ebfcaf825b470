/**
 * The hard-history generator keeps its promises (test/support/hard-histories.ts): a history
 * without a flaw carries the execution's own order, and that order is a linearization (every
 * operation with a known outcome in it, each legal where it stands, real time respected), checked
 * here by replaying it through the model, not by the search the histories are meant to test; a
 * flawed one is not linearizable; one seed gives one history.
 */
import { describe, expect, it } from 'vitest';
import { checkLinearizable } from '../../../src/checkers/linearizability/check.js';
import {
  parseJepsenEtcd,
  parsePorcupineKv,
} from '../../../src/checkers/linearizability/formats/index.js';
import { findModel } from '../../../src/checkers/linearizability/models/index.js';
import type { AnyModel, LinOp } from '../../../src/checkers/linearizability/types.js';
import {
  generateCas,
  generateKv,
  hardClass,
  type HardHistory,
} from '../../support/hard-histories.js';

function parsed(h: HardHistory): { ops: LinOp[]; model: AnyModel } {
  const r = h.kind === 'cas' ? parseJepsenEtcd(h.text) : parsePorcupineKv(h.text);
  if (!r.ok) throw new Error(JSON.stringify(r.errors[0]));
  return { ops: r.ops as LinOp[], model: findModel(h.kind === 'cas' ? 'cas-register' : 'kv')! };
}

/** Problems with `order` as a linearization of `ops` (empty when it is one). */
function problems(h: HardHistory, ops: readonly LinOp[], model: AnyModel): string[] {
  const invokeLines = h.text
    .split('\n')
    .map((line, i) => (/:invoke/.test(line) ? i + 1 : 0))
    .filter((n) => n > 0);
  const byLine = new Map(ops.map((o) => [o.line, o]));
  const order = h.linearization!.map((k) => byLine.get(invokeLines[k]));
  const out: string[] = [];
  if (order.some((o) => o === undefined)) return ['an operation of the order was not parsed'];
  const seen = new Set(order.map((o) => o!.id));
  for (const o of ops) if (!o.unknown && !seen.has(o.id)) out.push(`#${o.id} is missing`);
  const states = new Map<string, unknown>();
  let latestCall = -Infinity;
  for (const o of order as LinOp[]) {
    // Real time: nothing placed earlier may have been called after this one returned.
    if (!o.unknown && latestCall > o.ret) out.push(`#${o.id} comes after a later call`);
    latestCall = Math.max(latestCall, o.call);
    const key = model.partition?.(o.input) ?? '';
    const next = model.step(
      states.has(key) ? states.get(key) : model.init(),
      o.input,
      o.output,
      o.unknown,
    );
    if (next === undefined)
      out.push(`#${o.id} ${model.describe(o.input, o.output, o.unknown)} is illegal there`);
    else states.set(key, next);
  }
  return out;
}

describe('hard histories', () => {
  for (const generate of [generateCas, generateKv])
    for (const seed of [1, 2, 3])
      it(`${generate.name} seed ${seed}: the execution's order is a linearization`, () => {
        const h = generate(seed);
        expect(h.ops).toBeGreaterThanOrEqual(200);
        expect(h.ops).toBeLessThanOrEqual(1_500);
        expect(h.clients).toBeGreaterThanOrEqual(5);
        expect(h.clients).toBeLessThanOrEqual(30);
        const { ops, model } = parsed(h);
        expect(ops.length).toBe(h.ops);
        expect(problems(h, ops, model)).toEqual([]);
        // About 15% of the writes time out (open forever); the tests hold it to 5–30%.
        const writes = ops.filter(
          (o) => (o.input as { f: string }).f !== 'read' && (o.input as { f: string }).f !== 'get',
        );
        const open = writes.filter((o) => o.unknown).length / writes.length;
        expect(open).toBeGreaterThan(0.05);
        expect(open).toBeLessThan(0.3);
      });

  for (const generate of [generateCas, generateKv])
    for (const flaw of ['never-written', 'written-later'] as const)
      it(`${generate.name} with a read ${flaw.replace('-', ' ')} is not linearizable`, () => {
        const h = generate(5, { ops: 300, flaw });
        expect(h.expected).toBe('violation');
        const { ops, model } = parsed(h);
        expect(checkLinearizable(ops, model, { evidence: false }).verdict).toBe('violation');
        // The same seed without the flaw is linearizable: the flaw is what breaks it.
        const clean = parsed(generate(5, { ops: 300 }));
        expect(checkLinearizable(clean.ops, clean.model, { evidence: false }).verdict).toBe('ok');
      });

  it('one seed gives one history, and the class names its flaws', () => {
    expect(generateKv(7).text).toBe(generateKv(7).text);
    expect(generateCas(7).text).not.toBe(generateCas(8).text);
    const cls = hardClass(8);
    expect(cls).toHaveLength(16);
    expect(cls.filter((h) => h.flaw === 'never-written')).toHaveLength(2);
    expect(cls.filter((h) => h.flaw === 'written-later')).toHaveLength(2);
  });
});
