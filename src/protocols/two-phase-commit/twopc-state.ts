/**
 * A two-phase commit node's state, one role per node for the whole run (a discriminated union,
 * so a participant has no coordinator fields):
 *
 * - coordinator: the transactions it is deciding or has decided COMMIT and not yet heard every
 *   acknowledgement of. Presumed abort (Mohan, Lindsay & Obermarck, "Transaction Management in
 *   the R* Distributed Database Management System", TODS 1986): an abort is never logged and is
 *   forgotten at once, so a transaction the coordinator does not know is an aborted one; a
 *   commit is kept, in memory and in the log, until every participant has acknowledged it.
 * - participant: its shard's accounts (each balance as a change from the initial one, and the
 *   transfers applied, in order), its lock table, and every transaction it has seen, with the
 *   phase it is in. A transaction `prepared` is in doubt: it voted YES, holds its locks, and
 *   may neither commit nor abort until it learns the decision.
 *
 * Everything the protocol needs after a crash is in the log (wal.ts); the rest is rebuilt or
 * lost. `decided` is ghost data for the observer: the decisions this participant acted on.
 */
import type { AccountRead } from '../../core/bank-ops.js';
import type { NodeId } from '../../core/ids.js';
import type { Micros } from '../../core/time.js';
import { DurableLog } from '../shared/durable-log.js';
import { LockTable } from './locks.js';
import type { Write } from './messages.js';

/** What a log fsync releases: the step the record it made durable was waiting for. */
type AfterSync =
  | { readonly kind: 'decided'; readonly txn: number }
  | { readonly kind: 'prepared'; readonly txn: number }
  | { readonly kind: 'committed'; readonly txn: number }
  | { readonly kind: 'aborted'; readonly txn: number }
  /** A refusal to ever prepare `txn` is durable: tell `to`, who asked, that it aborted. */
  | { readonly kind: 'refused'; readonly txn: number; readonly to: NodeId }
  | { readonly kind: 'nothing' };

export interface CoordTxn {
  readonly txn: number;
  /** The client request to answer; undefined for a commit recovered from the log. */
  readonly requestId: number | undefined;
  readonly participants: readonly NodeId[];
  /** voting → (all YES) logging → committed; any NO or the vote timeout aborts, forgetting it. */
  phase: 'voting' | 'logging' | 'committed';
  readonly yes: Set<NodeId>;
  readonly acks: Set<NodeId>;
  /** What the participants read, merged, for a read's answer. */
  readonly reads: Map<string, AccountRead>;
  /** A read of every balance (answered with `reads`), not a transfer. */
  readonly read: boolean;
}

export interface CoordinatorState {
  readonly role: 'coordinator';
  readonly id: NodeId;
  readonly log: DurableLog<AfterSync>;
  readonly txns: Map<number, CoordTxn>;
  /** The re-send timer of unacknowledged commits is armed. */
  resendArmed: boolean;
}

/** preparing → prepared (in doubt) → committing → committed, or → aborting → aborted. */
type PTxnPhase = 'preparing' | 'prepared' | 'committing' | 'committed' | 'aborting' | 'aborted';

export interface PTxn {
  readonly txn: number;
  phase: PTxnPhase;
  readonly reads: readonly string[];
  readonly writes: readonly Write[];
  /** Every participant of the transaction, itself included. */
  readonly participants: readonly NodeId[];
  /** When it voted YES (this node's clock; from the log after a restart). */
  preparedAtUs: Micros;
  /** The accounts read, as its YES vote reports them. */
  result: Readonly<Record<string, AccountRead>> | undefined;
  /** It stayed in doubt long enough to ask for the decision: it was blocked. */
  asked: boolean;
}

export interface Account {
  /** The balance's change from the initial balance. */
  net: number;
  /** Transfer ids applied, in order. */
  readonly applied: string[];
}

export interface ParticipantState {
  readonly role: 'participant';
  readonly id: NodeId;
  readonly log: DurableLog<AfterSync>;
  readonly accounts: Map<string, Account>;
  readonly locks: LockTable;
  readonly txns: Map<number, PTxn>;
  /** The decision-request timer is armed. */
  askArmed: boolean;
  /** Ghost: the decisions it acted on, in order (a commit it could not apply is `false`). */
  readonly decided: { readonly txn: number; readonly commit: boolean }[];
}

export type TwoPcState = CoordinatorState | ParticipantState;

export function freshCoordinator(id: NodeId): CoordinatorState {
  return {
    role: 'coordinator',
    id,
    log: new DurableLog('twopc.fsync-failed'),
    txns: new Map(),
    resendArmed: false,
  };
}

export function freshParticipant(id: NodeId): ParticipantState {
  return {
    role: 'participant',
    id,
    log: new DurableLog('twopc.fsync-failed'),
    accounts: new Map(),
    locks: new LockTable(),
    txns: new Map(),
    askArmed: false,
    decided: [],
  };
}

/** An account's state, created untouched. */
export function accountOf(s: ParticipantState, name: string): Account {
  let a = s.accounts.get(name);
  if (a === undefined) {
    a = { net: 0, applied: [] };
    s.accounts.set(name, a);
  }
  return a;
}
