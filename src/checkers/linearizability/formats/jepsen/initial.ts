/**
 * `--initial`: the initial state of a model, written in EDN as Knossos writes it in its model
 * constructors: `0` for `(model/cas-register 0)`, `nil`, or `{:x 0 :y 0}` for
 * `(model/multi-register {:x 0 :y 0})`. Values follow the same conventions as the codecs (register
 * values are integers; multi-register keys and values their canonical EDN text), so the initial
 * state compares equal to what the history reads.
 */
import type { InitialStates } from '../../models/index.js';
import { MODELS_WITH_INITIAL } from '../../models/index.js';
import type { EdnNode } from '../edn-node.js';
import { ednPrint } from '../edn-node.js';
import { EdnSyntaxError, readEdnValue } from '../edn-reader.js';

export type InitialResult =
  | { readonly initial: InitialStates[keyof InitialStates] }
  | { readonly error: string };

/** The initial state `text` gives model `modelName`, or why it cannot. */
export function initialStateFor(modelName: string, text: string): InitialResult {
  if (!(MODELS_WITH_INITIAL as readonly string[]).includes(modelName))
    return {
      error: `model ${modelName} has no initial state to set (only ${MODELS_WITH_INITIAL.join(', ')} do)`,
    };
  let node: EdnNode;
  try {
    node = readEdnValue(text);
  } catch (e) {
    if (!(e instanceof EdnSyntaxError)) throw e;
    return { error: `not an EDN value: ${e.message} (at character ${e.offset + 1})` };
  }
  if (modelName === 'multi-register') {
    if (node.kind !== 'map')
      return { error: `expected a map like {:x 0 :y 0}, found ${ednPrint(node)}` };
    const initial = new Map<string, string | null>();
    for (const e of node.entries)
      initial.set(ednPrint(e.key), e.value.kind === 'nil' ? null : ednPrint(e.value));
    return { initial };
  }
  if (node.kind === 'nil') return { initial: null };
  if (node.kind === 'integer' && node.exact) return { initial: node.value };
  return { error: `expected an integer below 2^53 or nil, found ${ednPrint(node)}` };
}
