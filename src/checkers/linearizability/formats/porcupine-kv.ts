/**
 * Porcupine's key/value histories (`test_data/kv/cNN-ok.txt`): one EDN map per line,
 *
 *   {:process 0, :type :invoke, :f :append, :key "0", :value "x 0 0 y"}
 *   {:process 0, :type :ok, :f :append, :key "0", :value "x 0 0 y"}
 *
 * paired by process. A get's output is the `:value` string of its `:ok` (nil reads as `""`, the
 * model's initial value); put and append take their argument from the invocation and their
 * output is `''`. Beyond Porcupine's own files, which hold only `:invoke` and `:ok`, this reads
 * what Jepsen writes: `:fail` (the operation did not happen: dropped, as Jepsen does), `:info`
 * (indeterminate: open forever, unknown output), `:nemesis` entries (skipped), extra keys such
 * as `:index`, `:time` or `:error` (ignored), any key order and spacing.
 *
 * One deliberate difference: Porcupine's test parser gives an operation still open at the end of
 * the file an empty, known output; here it is unknown with return time +∞, as in Jepsen. The
 * shipped files have no such operation, so verdicts agree.
 *
 * call and ret are line numbers (several maps on one line: see `lineTimes`).
 */
import { ednGet } from './edn-reader.js';
import { openEdnHistory } from './edn-events.js';
import type { KvLinInput, KvLinOutput } from './op-types.js';
import { guard, type ParseResult } from './parse-result.js';
import { ProcessPairing } from './process-pairing.js';

const KV_FUNCTIONS = ['get', 'put', 'append'] as const;

export function parsePorcupineKv(text: string): ParseResult<KvLinInput, KvLinOutput> {
  return guard(() => {
    const { sink, fields, entries, times } = openEdnHistory(text);
    const pairing = new ProcessPairing<KvLinInput, KvLinOutput>(sink);
    for (const [i, raw] of entries.entries()) {
      if (sink.full) break;
      const event = fields.event(raw, KV_FUNCTIONS, pairing);
      if (event === 'skip' || event === undefined) continue;
      const entry = event.entry;
      const t = times[i] as number;
      const keyNode = fields.required(entry, 'key', 'a string');
      const key = keyNode === undefined ? undefined : fields.string(keyNode, 'key');
      const valueNode = ednGet(entry.map, 'value');

      if (event.type === 'invoke') {
        let input: KvLinInput | undefined;
        if (event.f === 'get') {
          if (valueNode !== undefined && valueNode.kind !== 'nil')
            fields.error(
              valueNode,
              `expected :value of a :get invocation to be nil, found ${fields.show(valueNode)}`,
            );
          else if (key !== undefined) input = { f: 'get', key };
        } else {
          const value =
            valueNode === undefined
              ? fields.required(entry, 'value', `the string to ${event.f}`)
              : fields.string(valueNode, 'value');
          if (key !== undefined && typeof value === 'string') input = { f: event.f, key, value };
        }
        pairing.invoke(event.client, event.f, input, '', t, event.at);
        continue;
      }

      const draft = pairing.complete(event.client, event.f, event.type, event.typeAt, event.fAt);
      if (draft === undefined || draft.input === undefined) continue;
      const input = draft.input;
      if (key !== undefined && keyNode !== undefined && key !== input.key) {
        fields.error(
          keyNode,
          `expected :key ${JSON.stringify(input.key)} like the invocation on line ${draft.line}, found ${fields.show(keyNode)}`,
        );
        draft.dropped = true;
        continue;
      }
      switch (event.type) {
        case 'fail':
          draft.dropped = true;
          break;
        case 'info':
          draft.unknown = true;
          draft.ret = Infinity;
          break;
        case 'ok': {
          if (valueNode === undefined) {
            fields.required(
              entry,
              'value',
              input.f === 'get'
                ? 'the string the get returned'
                : `the string that was ${input.f === 'put' ? 'put' : 'appended'}`,
            );
            draft.dropped = true;
            break;
          }
          if (input.f === 'get') {
            // nil: the key was never written, which the kv model's initial "" stands for.
            const value = valueNode.kind === 'nil' ? '' : fields.string(valueNode, 'value');
            if (value === undefined) draft.dropped = true;
            else {
              draft.output = value;
              draft.ret = t;
            }
          } else if (valueNode.kind !== 'string' || valueNode.value !== input.value) {
            fields.error(
              valueNode,
              `expected :value ${JSON.stringify(input.value)} like the invocation on line ${draft.line}, found ${fields.show(valueNode)}`,
            );
            draft.dropped = true;
          } else {
            draft.ret = t;
          }
          break;
        }
      }
    }
    if (!sink.empty) return { ok: false, errors: sink.sorted() };
    return { ok: true, ops: pairing.finish() };
  });
}
