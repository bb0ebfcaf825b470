/**
 * Jepsen, Maelstrom and Knossos `history.edn` files for a register or compare-and-set register:
 * one operation map per line, or a vector of them (Knossos' test data),
 *
 *   {:process 0, :type :invoke, :f :cas, :value [1 4], :time 1204518, :index 12}
 *
 * with `:process` (an integer; `:nemesis` entries are skipped), `:type` (`:invoke`, `:ok`,
 * `:fail`, `:info`), `:f` (`:read`, `:write`, `:cas`), `:value` (nil for a read invocation, the
 * integer written, `[from to]` for a cas, the integer or nil a read returned) and optionally
 * `:time` (nanoseconds) and `:index` (ignored). Other keys (`:error`, `:node`...) are ignored.
 *
 * Meaning, as in Jepsen and Knossos: `:ok` happened; `:fail` definitely did not happen and is
 * dropped, a failed cas included; `:info` may or may not have happened, so the operation stays
 * open forever with an unknown output, as does an invocation never completed. Mind the difference
 * with the etcd logs (jepsen-etcd.ts), where `:fail :cas` is etcd's "compare failed": a completed
 * cas that observed another value, kept with ok=false. Here every cas that is kept has ok=true,
 * so the same `cas-register` model checks both.
 *
 * Times: when every operation map has `:time`, call and ret are those nanoseconds; otherwise they
 * are line numbers (several maps on one line: see `lineTimes`). A completion recorded before its
 * invocation is an error.
 */
import { ednGet, type EdnNode } from './edn-reader.js';
import { openEdnHistory } from './edn-events.js';
import { type RegisterInput, type RegisterOutput, unknownCasOutput } from './op-types.js';
import { guard, type ParseResult } from './parse-result.js';
import { ProcessPairing } from './process-pairing.js';

const REGISTER_FUNCTIONS = ['read', 'write', 'cas'] as const;

export function parseEdnHistory(text: string): ParseResult<RegisterInput, RegisterOutput> {
  return guard(() => {
    const { sink, fields, entries, times } = openEdnHistory(text);
    const pairing = new ProcessPairing<RegisterInput, RegisterOutput>(sink);
    let everyEntryTimed = true;

    /** An [from to] pair of integers, or an error. */
    const pair = (node: EdnNode): [number, number] | undefined => {
      if (node.kind !== 'vector' || node.items.length !== 2)
        return fields.error(
          node,
          `expected :value of a :cas to be [from to], two integers, found ${fields.show(node)}`,
        );
      const from = fields.integer(node.items[0] as EdnNode, 'value');
      const to = fields.integer(node.items[1] as EdnNode, 'value');
      return from === undefined || to === undefined ? undefined : [from, to];
    };

    for (const [i, raw] of entries.entries()) {
      if (sink.full) break;
      const event = fields.event(raw, REGISTER_FUNCTIONS, pairing);
      if (event === 'skip') continue;
      const timeNode = raw.map === undefined ? undefined : ednGet(raw.map, 'time');
      if (timeNode === undefined) everyEntryTimed = false;
      if (event === undefined) continue;
      const entry = event.entry;
      const t = times[i] as number;
      let time: number | undefined;
      if (timeNode !== undefined) {
        time = fields.integer(timeNode, 'time');
        if (time !== undefined && time < 0)
          time = fields.error(
            timeNode,
            `expected :time to be a non-negative integer (nanoseconds), found ${fields.show(timeNode)}`,
          );
      }
      const valueNode = ednGet(entry.map, 'value');

      if (event.type === 'invoke') {
        let input: RegisterInput | undefined;
        if (event.f === 'read') {
          if (valueNode !== undefined && valueNode.kind !== 'nil')
            fields.error(
              valueNode,
              `expected :value of a :read invocation to be nil, found ${fields.show(valueNode)}`,
            );
          else input = { f: 'read' };
        } else if (valueNode === undefined) {
          fields.required(
            entry,
            'value',
            event.f === 'write' ? 'the integer to write' : '[from to]',
          );
        } else if (event.f === 'write') {
          const value = fields.integer(valueNode, 'value');
          if (value !== undefined) input = { f: 'write', value };
        } else {
          const p = pair(valueNode);
          if (p !== undefined) input = { f: 'cas', from: p[0], to: p[1] };
        }
        const draft = pairing.invoke(
          event.client,
          event.f,
          time === undefined && timeNode !== undefined ? undefined : input,
          input === undefined ? { value: null } : unknownCasOutput(input),
          t,
          event.at,
        );
        draft.callTime = time;
        continue;
      }

      const draft = pairing.complete(event.client, event.f, event.type, event.typeAt, event.fAt);
      if (draft === undefined || draft.input === undefined) continue;
      const input = draft.input;
      if (
        time !== undefined &&
        draft.callTime !== undefined &&
        time < draft.callTime &&
        timeNode !== undefined
      ) {
        fields.error(
          timeNode,
          `expected :time to be at least ${draft.callTime}, the time of the invocation on line ${draft.line}, found ${time}`,
        );
        draft.dropped = true;
        continue;
      }
      if (timeNode !== undefined && time === undefined) {
        draft.dropped = true;
        continue;
      }
      if (event.type === 'fail') {
        draft.dropped = true;
        continue;
      }
      if (event.type === 'info') {
        draft.unknown = true;
        draft.ret = Infinity;
        continue;
      }
      if (valueNode === undefined) {
        fields.required(
          entry,
          'value',
          input.f === 'read'
            ? 'the integer read, or nil'
            : input.f === 'write'
              ? 'the integer written'
              : '[from to]',
        );
        draft.dropped = true;
        continue;
      }
      if (input.f === 'read') {
        const value = valueNode.kind === 'nil' ? null : fields.integer(valueNode, 'value');
        if (value === undefined) {
          draft.dropped = true;
          continue;
        }
        draft.output = { value };
      } else {
        const echoes =
          input.f === 'write'
            ? valueNode.kind === 'integer' && valueNode.value === input.value
            : valueNode.kind === 'vector' &&
              valueNode.items.length === 2 &&
              valueNode.items.every(
                (n, k) => n.kind === 'integer' && n.value === (k === 0 ? input.from : input.to),
              );
        if (!echoes) {
          const invoked = input.f === 'write' ? String(input.value) : `[${input.from} ${input.to}]`;
          fields.error(
            valueNode,
            `expected :value ${invoked} like the invocation on line ${draft.line}, found ${fields.show(valueNode)}`,
          );
          draft.dropped = true;
          continue;
        }
        draft.output = input.f === 'write' ? {} : { ok: true };
      }
      draft.ret = t;
      draft.retTime = time;
    }
    if (!sink.empty) return { ok: false, errors: sink.sorted() };
    return { ok: true, ops: pairing.finish(everyEntryTimed && entries.length > 0) };
  });
}
