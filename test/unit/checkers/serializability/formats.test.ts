/**
 * Reading list-append histories: EDN invocations paired with completions per process (an
 * invocation left open is `info`, with its own value), nemesis operations skipped, JSON arrays
 * and JSON lines, and each kind of bad input reported at its line and column.
 */
import { describe, expect, it } from 'vitest';
import { readEdnTxnHistory } from '../../../../src/checkers/serializability/formats/edn-txn-history.js';
import { readJsonTxnHistory } from '../../../../src/checkers/serializability/formats/json-txn-history.js';
import { detectTxnFormat } from '../../../../src/checkers/serializability/formats/load-txn-history.js';
import { mopText } from '../../../../src/checkers/serializability/txn.js';

describe('EDN list-append histories', () => {
  it('pairs invocations with completions and keeps an open invocation as info', () => {
    const r = readEdnTxnHistory(`[{:type :invoke, :process 0, :value [[:append :x 1]]}
 {:type :invoke, :process 1, :value [[:r :x nil]]}
 {:type :info, :process :nemesis, :f :kill}
 {:type :ok, :process 1, :value [[:r :x []]]}]`);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.txns.map((t) => [t.index, t.outcome, t.mops.map(mopText).join(' ')])).toEqual([
      [3, 'ok', '[r :x []]'],
      [0, 'info', '[append :x 1]'],
    ]);
  });

  it.each([
    ['{:type :ok, :process 0, :value [[:r :x nil]]}', 1, 40, 'expected the list read of key :x'],
    ['{:type :done, :process 0, :value []}', 1, 8, 'expected :type to be :invoke, :ok'],
    ['{:type :ok, :value []}', 1, 1, 'expected :process'],
    ['{:type :ok, :process 0, :value 3}', 1, 32, 'expected :value to be a vector'],
    ['{:type :ok, :process 0, :value [[:append :x]]}', 1, 33, 'expected a micro-operation'],
    ['{:type :ok, :process 0, :value [[:append :x 1]]', 1, 1, 'expected'],
  ])('refuses %s at %i:%i', (text, line, column, message) => {
    const r = readEdnTxnHistory(text);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors[0]).toMatchObject({ line, column });
    expect(r.errors[0]!.message).toContain(message);
  });
});

describe('JSON list-append histories', () => {
  it('reads an array and JSON lines alike', () => {
    const op = '{"type": "ok", "process": 0, "value": [["append", "x", 1], ["r", "x", [1]]]}';
    for (const text of [`[${op}]`, `${op}\n${op.replace('"x", 1]', '"x", 2]')}\n`]) {
      const r = readJsonTxnHistory(text);
      expect(r.ok, text).toBe(true);
      if (r.ok) expect(mopText(r.txns[0]!.mops[0]!)).toBe('[append x 1]');
    }
  });

  it('names the line and column of a bad micro-operation', () => {
    const r = readJsonTxnHistory(
      '[\n  {"type": "ok", "process": 0, "value": [["put", "x", 1]]}\n]',
    );
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors[0]).toMatchObject({ line: 2, column: 42 });
  });

  it('tells JSON from EDN by the extension, else by the opening', () => {
    expect(detectTxnFormat('', 'h.edn')).toBe('edn');
    expect(detectTxnFormat('[{"type": "ok"}]', 'h')).toBe('json');
    expect(detectTxnFormat('{"type": "ok"}\n', 'h')).toBe('json');
    expect(detectTxnFormat('; comment\n[{:type :ok}]', 'h')).toBe('edn');
  });
});
