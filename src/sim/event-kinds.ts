/**
 * The world's private vocabulary with the engine: event kinds, and the envelopes that carry
 * client requests and replies through the network.
 */
import type { ClientRequest, Outcome } from '../core/protocol.js';

export const EV = {
  deliver: 1,
  timer: 2,
  diskDone: 3,
  clientTimeout: 4,
  clientNext: 5,
  fault: 6,
  phase: 7,
  nemesis: 8,
  clientResend: 9,
  /** A membership change told to one member (its payload a MembershipChange). */
  membership: 10,
} as const;

export interface ClientRequestEnvelope {
  readonly request: ClientRequest<unknown>;
}

export interface ClientReplyEnvelope {
  readonly requestId: number;
  readonly outcome: Outcome<unknown>;
}
