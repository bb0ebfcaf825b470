/**
 * The Jepsen codec of each model, by model name: how `faultline check` reads a Jepsen EDN
 * history for the model chosen, and writes one back with `--export edn`. Every model in
 * ../../models/index.ts has one (a unit test holds the two lists equal).
 */
import type { JepsenCodec } from './codec.js';
import { independentCodec } from './independent.js';
import { kvCodec } from './kv.js';
import { multiRegisterCodec } from './multi-register.js';
import { mutexCodec } from './mutex.js';
import { counterCodec, fifoQueueCodec, setCodec } from './numbers.js';
import { registerCodec } from './register.js';

export type AnyCodec = JepsenCodec<unknown, unknown>;

const CODECS: Record<string, AnyCodec> = {
  register: registerCodec(false) as AnyCodec,
  'cas-register': registerCodec(true) as AnyCodec,
  kv: kvCodec('') as AnyCodec,
  'kv-list': kvCodec(null) as AnyCodec,
  counter: counterCodec as AnyCodec,
  set: setCodec as AnyCodec,
  'fifo-queue': fifoQueueCodec as AnyCodec,
  mutex: mutexCodec as AnyCodec,
  'multi-register': multiRegisterCodec as AnyCodec,
};

export const CODEC_MODEL_NAMES: readonly string[] = Object.keys(CODECS);

/** The codec for a model, per key with `independent`; undefined for a model without one. */
export function jepsenCodecFor(modelName: string, independent = false): AnyCodec | undefined {
  const codec = Object.hasOwn(CODECS, modelName) ? CODECS[modelName] : undefined;
  if (codec === undefined || !independent) return codec;
  return independentCodec(codec) as AnyCodec;
}
