/**
 * A Jepsen EDN history read with one codec, in one call: the structural reading
 * (jepsen-history.ts) and the codec's decoding, with the errors of whichever failed. The CLI
 * calls the two steps itself, to tell a malformed file from one meant for another model.
 */
import { readJepsenHistory } from '../jepsen-history.js';
import { guard, type ParseResult } from '../parse-result.js';
import { decodeJepsen, type JepsenCodec } from './codec.js';

export function parseJepsenEdn<I, O>(text: string, codec: JepsenCodec<I, O>): ParseResult<I, O> {
  return guard(() => {
    const read = readJepsenHistory(text);
    if (!read.ok) return read;
    return decodeJepsen(read.ops, text, read.index, codec);
  });
}
