/**
 * Every protocol faultline ships, by name. Scenario files name a protocol from here; user code
 * can run its own protocol through the library API without registering it.
 */
import type { AnyProtocolDefinition } from '../core/protocol-definition.js';
import { cluster } from './cluster/index.js';
import { crdt } from './crdt/index.js';
import { dynamo } from './dynamo/index.js';
import { kvStore } from './kv-store/index.js';
import { lockService } from './lock-service/index.js';
import { multiPaxos } from './multi-paxos/index.js';
import { primaryBackup } from './primary-backup/index.js';
import { pingBroadcast } from './ping/index.js';
import { paxos } from './paxos/index.js';
import { raft } from './raft/index.js';
import { saga } from './saga/index.js';
import { twoPhaseCommit } from './two-phase-commit/index.js';

export const PROTOCOLS: readonly AnyProtocolDefinition[] = [
  primaryBackup,
  raft,
  paxos,
  multiPaxos,
  crdt,
  dynamo,
  pingBroadcast,
  kvStore,
  twoPhaseCommit,
  saga,
  lockService,
  cluster,
];
