/**
 * The inputs and outputs the importers produce, one pair per family of histories. They match the
 * models in ../models structurally: KvLinInput is core's KvInput (models `kv` and `kv-list`),
 * CasInput/CasOutput fit `cas-register` (whose output type has optional `value` and `ok`).
 */
import type { KvInput } from '../../../core/history.js';

/** A key/value operation: get(key), put(key, value), append(key, value). */
export type KvLinInput = KvInput;

/**
 * What a Porcupine kv get returned (the `:value` string of its `:ok` line). put and append have
 * no meaningful output: it is always `''`, and the models ignore it.
 */
export type KvLinOutput = string;

/** A single compare-and-set register: read(), write(value), cas(from, to). */
export type CasInput =
  | { readonly f: 'read' }
  | { readonly f: 'write'; readonly value: number }
  | { readonly f: 'cas'; readonly from: number; readonly to: number };

/**
 * Its shape follows the input's `f` (discriminate on the input, which every `LinOp` carries
 * beside it): a read returns `{ value }` (`null` for nil, i.e. never written), a cas
 * `{ ok }` (whether it took effect), a write `{}`. This is the shape the `cas-register` model
 * reads. For an operation whose outcome is unknown the output is a placeholder of the same shape
 * (`value: null`, `ok: false`) that no model may look at.
 */
export type CasOutput = CasReadOutput | CasCasOutput | CasWriteOutput;
interface CasReadOutput {
  readonly value: number | null;
}
interface CasCasOutput {
  readonly ok: boolean;
}
/** No fields: a write returns nothing. */
type CasWriteOutput = Readonly<Record<string, never>>;

/**
 * Jepsen/Maelstrom register histories use the same operations. The difference is in what a
 * failed cas means, which the EDN importer resolves before the model sees it (see edn-history.ts).
 */
export type RegisterInput = CasInput;
export type RegisterOutput = CasOutput;

/** The placeholder output of an operation whose outcome is unknown. */
export function unknownCasOutput(input: CasInput): CasOutput {
  switch (input.f) {
    case 'read':
      return { value: null };
    case 'write':
      return {};
    case 'cas':
      return { ok: false };
  }
}
