/**
 * The CRDT types by name, for scenario files and registries: `g-counter`, `pn-counter`, `g-set`,
 * `2p-set`, `or-set`, `lww-register`, `mv-register`, `rga`, and `or-map<T>` for any causal T
 * (`or-set`, `mv-register`, or another `or-map<…>`). A type's `name` is the name that makes it.
 *
 *   crdtTypeNamed('or-map<mv-register>')?.name;   // 'or-map<mv-register>'
 *   crdtTypeNamed('or-map<g-counter>');           // undefined: a counter has no dots to remove
 */
import type { AnyCrdtType, CrdtOptions } from './crdt-type.js';
import type { CausalCrdtType } from './dot-store.js';
import { gCounter } from './g-counter.js';
import { gSet } from './g-set.js';
import { lwwRegister } from './lww-register.js';
import { mvRegister } from './mv-register.js';
import { orMap } from './or-map.js';
import { orSet } from './or-set.js';
import { pnCounter } from './pn-counter.js';
import { rga } from './rga.js';
import { twoPhaseSet } from './two-phase-set.js';

/** The names `crdtTypeNamed` takes, `or-map<T>` standing for every nesting. */
export const CRDT_TYPE_NAMES = [
  'g-counter',
  'pn-counter',
  'g-set',
  '2p-set',
  'or-set',
  'lww-register',
  'mv-register',
  'rga',
  'or-map<T>',
] as const;

// biome-ignore lint/suspicious/noExplicitAny: an existential causal type, as AnyCrdtType
type AnyCausalType = CausalCrdtType<any, any, any>;

/** The type called `name`, with `options.bugs` switched on, or undefined for no such type. */
export function crdtTypeNamed(name: string, options: CrdtOptions = {}): AnyCrdtType | undefined {
  switch (name) {
    case 'g-counter':
      return gCounter(options);
    case 'pn-counter':
      return pnCounter(options);
    case 'g-set':
      return gSet();
    case '2p-set':
      return twoPhaseSet();
    case 'lww-register':
      return lwwRegister();
    case 'rga':
      return rga();
    default:
      return causalTypeNamed(name, options);
  }
}

function causalTypeNamed(name: string, options: CrdtOptions): AnyCausalType | undefined {
  if (name === 'or-set') return orSet(options);
  if (name === 'mv-register') return mvRegister();
  const nested = /^or-map<(.+)>$/.exec(name)?.[1];
  if (nested === undefined) return undefined;
  const values = causalTypeNamed(nested, options);
  return values === undefined ? undefined : orMap(values);
}
