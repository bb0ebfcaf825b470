/**
 * The lock service's wire messages. Between a lock client and the server, Redis's commands as
 * the "Distributed locks with Redis" page uses them: `Acquire` is `SET lock owner NX PX ttl`,
 * `Renew` the compare-and-extend script (extend only if the value is still `owner`), `Release`
 * the compare-and-delete script; the server answers `Granted` with the lease's fencing token
 * (Kleppmann 2016; Chubby's sequencer), or `Refused`. Between a holder and the protected store,
 * a `Write` carries the token, and the store answers `Accepted`, or `Rejected` when the token is
 * below the highest it has taken (fencing).
 *
 * With `server: raft`, a replica that is not the leader answers `Redirect`, naming the leader
 * it knows of (as Raft's clients are redirected); the lock client asks there.
 *
 * `rid` is the client request the exchange serves (unique over the run), so a late answer to a
 * request the client gave up on is recognized and dropped.
 */
import type { NodeId } from '../../core/ids.js';
import type { Effect } from '../../core/protocol.js';
import type { RaftMessage } from '../raft/index.js';
import type { Micros } from '../../core/time.js';

/** Why the server refused: the lock is held by a live lease, it is restarting, or not yours. */
export type RefusalReason = 'held' | 'recovering' | 'not-holder';

export type LockMessage =
  | {
      readonly type: 'Acquire' | 'Renew';
      readonly rid: number;
      readonly lock: string;
      readonly owner: string;
      readonly ttlUs: Micros;
    }
  | {
      readonly type: 'Release';
      readonly rid: number;
      readonly lock: string;
      readonly owner: string;
    }
  | {
      readonly type: 'Granted';
      readonly rid: number;
      readonly token: number;
      readonly ttlUs: Micros;
    }
  | { readonly type: 'Refused'; readonly rid: number; readonly reason: RefusalReason }
  | { readonly type: 'Released'; readonly rid: number }
  | { readonly type: 'Redirect'; readonly rid: number; readonly leader: NodeId | null }
  | {
      readonly type: 'Write';
      readonly rid: number;
      readonly key: string;
      readonly owner: string;
      readonly token: number;
      readonly value: string;
    }
  | { readonly type: 'Accepted'; readonly rid: number }
  | { readonly type: 'Rejected'; readonly rid: number; readonly highest: number };

/** Everything a lock-service node sends: the lock's messages, and Raft's within the group. */
export type LockWire = LockMessage | RaftMessage;

export type LockEffect = Effect<LockWire, unknown>;

export const isRaftMessage = (m: LockWire): m is RaftMessage => !('rid' in m);
