/**
 * Ballots ("proposal numbers", Paxos Made Simple §2.2): unique and totally ordered. Lamport's
 * recipe (§2.5: "different proposers choose their numbers from disjoint sets") is a round and the
 * proposer's place among the nodes, packed in one integer so comparing ballots is comparing
 * numbers: ballot = round · NODES_MAX + place + 1. Ballot 0 is "none": nothing promised yet.
 *
 * A proposer's round must never repeat, crashes included, so it comes from durable state: a
 * reservation of rounds the node persists before it sends a Prepare, and at least the highest
 * round its own acceptor promised (Tencent/phxpaxos#145's fix: the proposer starts from the
 * acceptor's persisted promise + 1).
 */
/**
 * Rounds the proposer reserves with one durable record: it may use rounds up to the reservation
 * without an fsync, and after a restart resumes above it (rounds are not scarce; fsyncs are).
 */
export const ROUNDS_RESERVED = 32;

/** Nodes a ballot can order; a cluster is far smaller. */
export const NODES_MAX = 1024;

export const ballotOf = (round: number, place: number): number => round * NODES_MAX + place + 1;

export const roundOf = (ballot: number): number => Math.floor(ballot / NODES_MAX);
