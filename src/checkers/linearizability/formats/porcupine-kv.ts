/**
 * Porcupine's key/value histories (`test_data/kv/cNN-ok.txt`): one EDN map per line,
 *
 *   {:process 0, :type :invoke, :f :append, :key "0", :value "x 0 0 y"}
 *   {:process 0, :type :ok, :f :append, :key "0", :value "x 0 0 y"}
 *
 * paired by process, read as the `kv` model reads them (jepsen/kv.ts: a nil get reads as `""`,
 * the model's initial value). Beyond Porcupine's own files, which hold only `:invoke` and `:ok`,
 * this reads what Jepsen writes: `:fail` (did not happen: dropped), `:info` (indeterminate: open
 * forever, unknown output), `:nemesis` entries (skipped), extra keys, any layout.
 *
 * One deliberate difference: Porcupine's test parser gives an operation still open at the end of
 * the file an empty, known output; here it is unknown with return time +∞, as in Jepsen. The
 * shipped files have no such operation, so verdicts agree. call and ret are line numbers.
 */
import { kvCodec } from './jepsen/kv.js';
import { parseJepsenEdn } from './jepsen/parse.js';
import type { KvLinInput, KvLinOutput } from './op-types.js';
import type { ParseResult } from './parse-result.js';

const CODEC = kvCodec('');

export function parsePorcupineKv(text: string): ParseResult<KvLinInput, KvLinOutput> {
  return parseJepsenEdn(text, CODEC);
}
