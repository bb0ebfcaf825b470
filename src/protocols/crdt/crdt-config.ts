/**
 * The crdt protocol's configuration as its handlers read it: the scenario's options converted to
 * microseconds once, the replicated data type built with the library bugs the protocol's named
 * bugs stand for, the workload binding, and each protocol-level named bug as a boolean, so no
 * handler looks a string up in a set on every step.
 *
 * Leaves out validation and defaults: the options schema in index.ts has applied them already.
 */
import type { NodeId } from '../../core/ids.js';
import type { Micros } from '../../core/time.js';
import type { AnyCrdtType } from '../../components/crdt/crdt-type.js';
import { crdtTypeNamed } from '../../components/crdt/crdt-types.js';
import { assert } from '../../core/assert.js';
import { type Binding, bindingOfType } from './bindings.js';
import { libraryBugs } from './named-bugs.js';

export interface CrdtOptions {
  /** The replicated data type, by its library name (`or-set`, `pn-counter`…). */
  readonly type: string;
  readonly intervalMs: number;
  readonly fanout: number;
  readonly bufferMax: number;
}

interface CrdtBugSwitches {
  /** Reply to a client before the update's WAL record is durable. */
  readonly ackBeforeFsync: boolean;
  /** Count a sent delta group as delivered and forget it, without waiting for the peer. */
  readonly resetDeltaOnSend: boolean;
}

export interface CrdtConfig {
  readonly type: AnyCrdtType;
  readonly binding: Binding;
  readonly intervalUs: Micros;
  readonly fanout: number;
  readonly bufferMax: number;
  /** The type stamps its updates with a hybrid logical clock (LWW). */
  readonly stamped: boolean;
  readonly bugs: CrdtBugSwitches;
}

export function createCrdtConfig(
  options: CrdtOptions,
  bugs: ReadonlySet<string>,
  _nodes: readonly NodeId[],
): CrdtConfig {
  const type = crdtTypeNamed(options.type, { bugs: libraryBugs(bugs) });
  assert(type !== undefined, () => `crdt: unknown type ${options.type}`);
  return {
    type,
    binding: bindingOfType(type.name),
    intervalUs: options.intervalMs * 1000,
    fanout: options.fanout,
    bufferMax: options.bufferMax,
    stamped: type.name === 'lww-register',
    bugs: {
      ackBeforeFsync: bugs.has('crdt.ack-before-fsync'),
      resetDeltaOnSend: bugs.has('crdt.reset-delta-on-send'),
    },
  };
}
