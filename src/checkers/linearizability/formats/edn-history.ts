/**
 * Jepsen, Maelstrom and Knossos `history.edn` files of a register or compare-and-set register,
 *
 *   {:process 0, :type :invoke, :f :cas, :value [1 4], :time 1204518, :index 12}
 *
 * read as the `cas-register` model reads them (see jepsen/register.ts for the operations and
 * jepsen-history.ts for pairing, outcomes and times). Meaning, as in Jepsen and Knossos: `:ok`
 * happened; `:fail` definitely did not happen and is dropped, a failed cas included; `:info` may
 * or may not have happened, so the operation stays open forever with an unknown output, as does
 * an invocation never completed. Mind the difference with the etcd logs (jepsen-etcd.ts), where
 * `:fail :cas` is etcd's "compare failed": a completed cas that observed another value, kept with
 * ok=false.
 */
import { parseJepsenEdn } from './jepsen/parse.js';
import { registerCodec } from './jepsen/register.js';
import type { RegisterInput, RegisterOutput } from './op-types.js';
import type { ParseResult } from './parse-result.js';

const CODEC = registerCodec(true);

export function parseEdnHistory(text: string): ParseResult<RegisterInput, RegisterOutput> {
  return parseJepsenEdn(text, CODEC);
}
