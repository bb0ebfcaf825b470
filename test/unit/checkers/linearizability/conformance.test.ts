/**
 * Every history in ../shared/conformance/porcupine gets the verdict Porcupine's test suite
 * expects (the tables in its README), and every violation's evidence window is itself confirmed
 * non-linearizable by a fresh search.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { checkLinearizable } from '../../../../src/checkers/linearizability/check.js';
import {
  parseJepsenEtcd,
  parsePorcupineKv,
} from '../../../../src/checkers/linearizability/formats/index.js';
import { findModel } from '../../../../src/checkers/linearizability/models/index.js';
import { cutHistory } from '../../../../src/checkers/linearizability/evidence.js';
import type { LinOp } from '../../../../src/checkers/linearizability/types.js';

const ROOT = fileURLToPath(new URL('../../../../../shared/conformance/porcupine', import.meta.url));
const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');

/** Expected verdicts, read from the README's tables so the test cannot drift from them. */
const expected = [
  ...readme.matchAll(/^\| ((?:kv|jepsen)\/[\w.-]+) \| (linearizable|NOT linearizable) \|/gm),
].map((m) => ({ file: m[1] as string, linearizable: m[2] === 'linearizable' }));

describe('Porcupine conformance histories', () => {
  it('the README lists every file: 6 kv and 53 etcd histories with a verdict', () => {
    expect(expected.filter((e) => e.file.startsWith('kv/'))).toHaveLength(6);
    expect(expected.filter((e) => e.file.startsWith('jepsen/'))).toHaveLength(53);
  });

  for (const { file, linearizable } of expected) {
    it(`${file} is ${linearizable ? '' : 'NOT '}linearizable`, () => {
      const text = readFileSync(join(ROOT, file), 'utf8');
      const kv = file.startsWith('kv/');
      const parsed = kv ? parsePorcupineKv(text) : parseJepsenEtcd(text);
      if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
      const model = findModel(kv ? 'kv' : 'cas-register')!;
      const r = checkLinearizable(parsed.ops as LinOp[], model);
      expect(r.verdict).toBe(linearizable ? 'ok' : 'violation');
      if (!linearizable) {
        const ev = r.evidence!;
        expect(ev.window.length).toBeGreaterThan(0);
        expect(ev.sentence.length).toBeGreaterThan(20);
        // The evidence is real: cut at the culprit's return the prefix cannot be linearized, and
        // without its culprit it can; the window fails with everything else made unknown.
        const all = parsed.ops as LinOp[];
        const keyOf = (o: LinOp) => (kv ? (o.input as { key: string }).key : '');
        const ops = all.filter((o) => keyOf(o) === ev.partition);
        const byId = new Map(ops.map((o) => [o.id, o]));
        expect(byId.has(ev.culprit.id)).toBe(true);
        const prior = ev.prefix.filter((id) => id !== ev.culprit.id);
        const priorCut = Math.max(-Infinity, ...prior.map((id) => byId.get(id)!.ret));
        // checkLinearizable, not the bare search: it applies the model's pruning of unknown operations.
        const verdict = (known: readonly number[], cut: number) =>
          checkLinearizable(cutHistory(ops, new Set(known), cut), model, { evidence: false })
            .verdict;
        expect(ev.prefixMinimal).toBe(true);
        expect(verdict(ev.prefix, ev.cut)).toBe('violation');
        if (prior.length > 0) expect(verdict(prior, priorCut)).toBe('ok');
        expect(verdict(ev.windowIds, ev.cut)).toBe('violation');
        expect(ev.windowIds.length).toBeLessThanOrEqual(ev.prefix.length);
        expect(ev.window.map((o) => o.id)).toContain(ev.culprit.id);
      }
    });
  }

  it('the empty etcd_095.log has no operations and is linearizable', () => {
    const parsed = parseJepsenEtcd(readFileSync(join(ROOT, 'jepsen/etcd_095.log'), 'utf8'));
    expect(parsed.ok && parsed.ops.length).toBe(0);
    expect(checkLinearizable([], findModel('cas-register')!).verdict).toBe('ok');
  });

  it('not split by key, kv/c10 gets the same verdicts', () => {
    for (const [f, lin] of [
      ['kv/c01-ok.txt', true],
      ['kv/c01-bad.txt', false],
    ] as const) {
      const parsed = parsePorcupineKv(readFileSync(join(ROOT, f), 'utf8'));
      if (!parsed.ok) throw new Error('parse');
      expect(
        checkLinearizable(parsed.ops as LinOp[], findModel('kv')!, {
          noPartition: true,
          evidence: false,
        }).verdict,
      ).toBe(lin ? 'ok' : 'violation');
    }
  });

  it('not split by key, the evidence of a violation is still built key by key and names the key', () => {
    const parsed = parsePorcupineKv(readFileSync(join(ROOT, 'kv/c01-bad.txt'), 'utf8'));
    if (!parsed.ok) throw new Error('parse');
    const ops = parsed.ops as LinOp[];
    const model = findModel('kv')!;
    const whole = checkLinearizable(ops, model, { noPartition: true });
    const split = checkLinearizable(ops, model);
    expect(whole.verdict).toBe('violation');
    // Trial searches over every key at once would try every mix of the keys' unknown operations.
    expect(whole.evidence).toEqual(split.evidence);
    expect(whole.evidence?.partition).not.toBe('');
  });

  it('a state budget ends with unknown and names the partition that ran out', () => {
    const parsed = parseJepsenEtcd(readFileSync(join(ROOT, 'jepsen/etcd_002.log'), 'utf8'));
    if (!parsed.ok) throw new Error('parse');
    const r = checkLinearizable(parsed.ops as LinOp[], findModel('cas-register')!, {
      statesMax: 20,
    });
    expect(r.verdict).toBe('unknown');
    expect(r.failing?.partition).toBe('');
    expect(r.failing?.states).toBe(20);
  });
});
