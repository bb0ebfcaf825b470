/**
 * The sequential models the linearizability checker knows by name (`--model` on the CLI, the
 * `model` field of a scenario). Each lives in its own file; see there for its exact rules.
 * `createModel` adds what the CLI can ask for beyond the name: an initial state (`--initial`,
 * which also switches the registers to Knossos's reading of a nil read) and one copy per key
 * (`--independent`, jepsen.independent).
 */
import type { AnyModel } from '../types.js';
import { casRegisterModel, makeCasRegisterModel } from './cas-register.js';
import { counterModel } from './counter.js';
import { fifoQueueModel } from './fifo-queue.js';
import { independentModel } from './independent.js';
import { kvListModel } from './kv-list.js';
import { kvModel } from './kv.js';
import {
  makeMultiRegisterModel,
  type MultiRegisterState,
  multiRegisterModel,
} from './multi-register.js';
import { mutexModel } from './mutex.js';
import { makeRegisterModel, registerModel } from './register.js';
import { setModel } from './set.js';

export {
  casRegisterModel,
  kvListModel,
  kvModel,
  makeCasRegisterModel,
  makeRegisterModel,
  registerModel,
};
export type { CasRegisterState } from './cas-register.js';
export type { KvListState } from './kv-list.js';

/** Keyed by model name. */
export const MODELS: Record<string, AnyModel> = {
  register: registerModel,
  'cas-register': casRegisterModel,
  kv: kvModel,
  'kv-list': kvListModel,
  counter: counterModel,
  set: setModel,
  'fifo-queue': fifoQueueModel,
  mutex: mutexModel,
  'multi-register': multiRegisterModel,
};

export const MODEL_NAMES: readonly string[] = Object.keys(MODELS);

/** The model registered under `name`, or undefined (callers report the known names). */
export function findModel(name: string): AnyModel | undefined {
  return Object.hasOwn(MODELS, name) ? MODELS[name] : undefined;
}

/** What `--initial` sets, per model that has an initial state to set. */
export interface InitialStates {
  register: number | null;
  'cas-register': number | null;
  'multi-register': MultiRegisterState;
}

export const MODELS_WITH_INITIAL: readonly (keyof InitialStates)[] = [
  'register',
  'cas-register',
  'multi-register',
];

export interface ModelOptions {
  /** For the models of `InitialStates`, of the type given there (checked by the caller). */
  readonly initial?: InitialStates[keyof InitialStates];
  /** One copy of the model per key: operations are `{ key, inner }`. */
  readonly independent?: boolean;
}

/** The model `name` with options, or undefined for an unknown name. */
export function createModel(name: string, options: ModelOptions = {}): AnyModel | undefined {
  const base = findModel(name);
  if (base === undefined) return undefined;
  const initial = options.initial;
  let model = base;
  if (initial !== undefined && name === 'register')
    model = makeRegisterModel({ initial: initial as number | null });
  else if (initial !== undefined && name === 'cas-register')
    model = makeCasRegisterModel({ initial: initial as number | null });
  else if (initial !== undefined && name === 'multi-register')
    model = makeMultiRegisterModel({ initial: initial as MultiRegisterState });
  return options.independent ? independentModel(model) : model;
}
