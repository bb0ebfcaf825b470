/**
 * Every workload faultline ships, by name. A scenario's `workload: { type: … }` names one; a
 * protocol lists the ones it serves. Adding a workload is a file beside this one and a line here.
 */
import { bankWorkload } from './bank.js';
import { casRegisterWorkload } from './cas-register.js';
import { counterWorkload } from './counter.js';
import { kvWorkload } from './kv.js';
import { kvContextWorkload } from './kv-context.js';
import { lockWorkload } from './lock.js';
import { noWorkload } from './none.js';
import { registerWorkload } from './register.js';
import { sagaWorkload } from './saga.js';
import { setWorkload } from './set.js';
import { textWorkload } from './text.js';
import type { AnyWorkloadDefinition } from './workload-definition.js';

export const WORKLOADS: readonly AnyWorkloadDefinition[] = [
  kvWorkload,
  kvContextWorkload,
  counterWorkload,
  setWorkload,
  registerWorkload,
  casRegisterWorkload,
  textWorkload,
  bankWorkload,
  sagaWorkload,
  lockWorkload,
  noWorkload,
];
