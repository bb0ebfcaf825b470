/**
 * The log records of both roles, as flat arrays (cheaper to encode than objects):
 *
 * - coordinator: `['C', txn, participants]`, the COMMIT decision, fsynced before any participant
 *   or client hears it; `['E', txn]`, the end, once every participant acknowledged it. No record
 *   for an abort: presumed abort (Mohan et al. 1986) lets a transaction without a COMMIT record
 *   be aborted, and a recovered coordinator answers so.
 * - participant: `['P', txn, preparedAtUs, reads, writes]`, PREPARED with the accounts it locked
 *   and the writes it will apply, fsynced before its YES vote (BHG §7.4: "before sending YES,
 *   the participant writes a yes record"); `['C', txn]` and `['A', txn]` once it learns the
 *   decision, and `['A', txn]` too for a transaction it never prepared and refused to prepare
 *   because another participant asked (cooperative termination). A COMMIT record is fsynced before its acknowledgement: the coordinator forgets the
 *   transaction on the last one.
 */
import type { NodeId } from '../../core/ids.js';
import type { Micros } from '../../core/time.js';
import type { Write } from './messages.js';

export type CoordinatorRecord = readonly ['C', number, readonly NodeId[]] | readonly ['E', number];

export type ParticipantRecord =
  | readonly ['P', number, Micros, readonly string[], readonly Write[], readonly NodeId[]]
  | readonly ['C', number]
  | readonly ['A', number];
