/**
 * The sequential models the linearizability checker knows by name (`--model` on the CLI, the
 * `model` field of a scenario). Each lives in its own file; see there for its exact rules.
 */
import type { AnyModel } from '../types.js';
import { casRegisterModel } from './cas-register.js';
import { counterModel } from './counter.js';
import { fifoQueueModel } from './fifo-queue.js';
import { kvListModel } from './kv-list.js';
import { kvModel } from './kv.js';
import { registerModel } from './register.js';
import { setModel } from './set.js';

export {
  casRegisterModel,
  counterModel,
  fifoQueueModel,
  kvListModel,
  kvModel,
  registerModel,
  setModel,
};
export type { CasRegisterInput, CasRegisterOutput, CasRegisterState } from './cas-register.js';
export type { CounterInput, CounterOutput } from './counter.js';
export type { FifoQueueInput, FifoQueueOutput, FifoQueueState } from './fifo-queue.js';
export type { KvListState } from './kv-list.js';
export type { RegisterInput, RegisterOutput, RegisterState } from './register.js';
export type { SetInput, SetOutput, SetState } from './set.js';

/** Keyed by model name. `any`: the models range over different state, input and output types. */
export const MODELS: Record<string, AnyModel> = {
  register: registerModel,
  'cas-register': casRegisterModel,
  kv: kvModel,
  'kv-list': kvListModel,
  counter: counterModel,
  set: setModel,
  'fifo-queue': fifoQueueModel,
};

export const MODEL_NAMES: readonly string[] = Object.keys(MODELS);

/** The model registered under `name`, or undefined (callers report the known names). */
export function findModel(name: string): AnyModel | undefined {
  return Object.hasOwn(MODELS, name) ? MODELS[name] : undefined;
}
