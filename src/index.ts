/**
 * faultline's library API. Write a protocol against the node contract, run it in a simulated
 * world from a scenario file or a config built in code, and judge what its clients saw.
 *
 *   import { parseScenario, runSeed } from 'faultline';
 *   const parsed = parseScenario(text, 'my.yaml');
 *   if (parsed.ok) expect(runSeed(parsed.scenario, 42).result.verdict).toBe('valid');
 */
export type {
  ClientRequest,
  ClusterObserver,
  DiskCompletion,
  DiskOp,
  DiskReader,
  DiskReadResult,
  Effect,
  NodeContext,
  ObservedProperty,
  Outcome,
  Protocol,
  Step,
  TimerName,
} from './core/protocol.js';
export { NO_EFFECTS } from './core/protocol.js';
export type {
  BugDefinition,
  CanaryDefinition,
  CanaryVariant,
  CoverageDefinition,
  Locality,
  OptionsMisfit,
  ProtocolDefinition,
  RoleDefinition,
} from './core/protocol-definition.js';
export type {
  KeyedReplicaSet,
  KeyedWrite,
  KeyReplica,
  KeyReplicas,
  Replicas,
  ReplicaSet,
  ReplicaUpdate,
  ReplicaView,
  VersionEntries,
} from './core/replica-set.js';
export type {
  CounterInput,
  RegisterInput,
  RegisterRead,
  ReplicatedInput,
  SetInput,
  TextInput,
} from './core/replicated-ops.js';
export {
  metric,
  summarize,
  type Metric,
  type Metrics,
  type MetricsCollector,
  type Summary,
} from './core/metrics.js';
export { ReplicationMetrics } from './protocols/shared/replication-metrics.js';
export type {
  History,
  KvInput,
  KvOutput,
  Operation,
  OpOutcome,
  PhaseName,
} from './core/history.js';
export type { NodeId, ClientId } from './core/ids.js';
export { Prng } from './core/prng.js';
export { AssertionError, assert } from './core/assert.js';
export { parseDuration, formatDuration, type Micros } from './core/time.js';

export { World, type WorldResult } from './sim/world.js';
export type { WorldConfig, ClockSpec, DiskSpec, PhaseSpec } from './sim/world-config.js';
export type {
  FaultAction,
  FaultHost,
  FaultKindRuntime,
  FaultRecord,
  FaultStrike,
  NemesisSpec,
  NodeSelector,
  ScheduledFault,
} from './sim/faults.js';
export type { FaultKind, Materialized, ResolveContext } from './faults/fault-kind.js';
export { FAULT_KINDS } from './faults/registry.js';
export type { Workload } from './core/workload.js';
export {
  type ClientReachChange,
  type ClientSide,
  type ClientSides,
  countBySide,
  cutFromMajority,
  reachAt,
  type SideCounts,
  sideOf,
} from './core/client-sides.js';
export { kvClients, kvWorkload, type KvClientsSpec } from './workloads/kv.js';
export type { WorkloadDefinition } from './workloads/workload-definition.js';
export type { CheckerDefinition, CheckScope, RunRecord } from './checkers/checker-definition.js';
export { MARKS } from './core/marks.js';
export { SimDisk } from './disk/sim-disk.js';
export {
  DEFAULT_DISK_CONFIG,
  DEFAULT_CRASH_MODEL,
  type DiskConfig,
  type CrashModel,
  type DiskFaults,
} from './disk/disk-config.js';
export type { DelaySpec } from './core/delay.js';
export type { LinkConfig } from './net/network.js';

export { checkDurability } from './checkers/durability.js';
export { checkLiveness } from './checkers/liveness.js';
export { checkConvergence } from './checkers/convergence.js';
// Serializability of transactions (Elle's list-append, and the bank workload lowered onto it).
export { checkSerializable, type SerialCheck } from './checkers/serializability/check.js';
export type { Anomaly, AnomalyType, CycleStep } from './checkers/serializability/anomaly.js';
export type { Mop, Txn, TxnOutcome } from './checkers/serializability/txn.js';
export {
  BadBankHistory,
  bankAsListAppend,
  checkBank,
  type BankOp,
  type BankTxn,
} from './checkers/serializability/bank.js';
export type { CheckResult, Verdict } from './checkers/check-result.js';
export { PROTOCOLS } from './protocols/registry.js';
export { CHECKERS } from './checkers/registry.js';
export { WORKLOADS } from './workloads/registry.js';

export {
  parseScenario,
  type ParseScenarioResult,
  type ParseScenarioOptions,
  buildWorldConfig,
  formatScenarioError,
  scenarioJsonSchema,
  BUILTINS,
  extendRegistry,
  type Registry,
  type Scenario,
  type ScenarioError,
} from './scenario/index.js';
export { runSeed, type SeedRun, type RunSeedOptions } from './run/run-seed.js';
export {
  replayCommand,
  RESULT_SCHEMA_VERSION,
  type RunResult,
  type SwarmChoice,
} from './run/run-result.js';

// Fuzzing from a test suite: run seeds with verdicts, generate fault schedules with fast-check.
export {
  loadScenario,
  runScenario,
  type RunScenarioOptions,
  type ScenarioRun,
  type SeedSummary,
} from './runner/library.js';
export {
  faultScheduleArbitrary,
  scenarioArbitrary,
  type FaultScheduleOptions,
  type ScheduleFaultKind,
} from './fuzz/arbitraries.js';
export { swarmScenario, chooseSwarm } from './run/swarm.js';
export { shardRange, type Shard } from './fuzz/shard.js';

// Failure detectors (src/components/failure-detectors): fixed timeout and phi accrual.
export {
  FIXED_TIMEOUT_DEFAULTS,
  FIXED_TIMEOUT_RANGES,
  fixedTimeoutDetector,
  type FixedTimeoutDetector,
  type FixedTimeoutOptions,
  type FixedTimeoutState,
} from './components/failure-detectors/fixed-timeout.js';
export {
  PHI_ACCRUAL_DEFAULTS,
  PHI_ACCRUAL_RANGES,
  phiAccrualDetector,
  phiOf,
  type PhiAccrualDetector,
  type PhiAccrualOptions,
  type PhiAccrualState,
} from './components/failure-detectors/phi-accrual.js';
export type { Checked, OptionRange, Ranges } from './components/failure-detectors/option-ranges.js';
// Replica placement (src/components/placement): where replicas go, repair, rebalancing, data moved.
export {
  DEFAULT_CONSTRAINTS,
  type AddDecision,
  type Move,
  type PlacementConstraints,
  type PlacementNode,
  type PlacementShard,
  type SpreadRule,
} from './components/placement/placement-types.js';
export {
  chooseReplica,
  replicaCounts,
  type AddResult,
} from './components/placement/choose-replica.js';
export { planRepair, type RepairPlan } from './components/placement/repair-plan.js';
export { planRebalance, type RebalanceOptions } from './components/placement/rebalance-plan.js';
export { dataMoved, dataMovedText, type DataMoved } from './components/placement/data-moved.js';
export { Ring, ringHash } from './components/placement/hash-ring.js';
export {
  placementProblems,
  type PlacementProblem,
  type PlacementProblemCode,
} from './components/placement/placement-error.js';
// A node hosted inside a node (src/components/sub-node): namespaced messages, timers and files.
export {
  EmbeddedNode,
  type EmbeddedNodeOptions,
  type InnerReply,
  type SubEnvelope,
  SubNodeTags,
  splitSubTimer,
  subFile,
  subNamespaces,
  subTimer,
} from './components/sub-node/embedded-node.js';
// Clocks and CRDTs (src/components): pure libraries, usable outside a simulation.
export { compareDots, dotText, type Dot } from './components/clocks/dot.js';
export {
  compareLamport,
  lamportReceive,
  lamportSend,
  type LamportTimestamp,
} from './components/clocks/lamport-clock.js';
export {
  VectorClock,
  type CausalOrder,
  type VectorClockBug,
  type VectorClockOptions,
} from './components/clocks/vector-clock.js';
export {
  dvvJoin,
  dvvSync,
  dvvUpdate,
  type DottedValue,
  type Siblings,
} from './components/clocks/dotted-version-vector.js';
export {
  HLC_ZERO,
  compareHlc,
  hlcReceive,
  hlcSend,
  type Hlc,
  type HlcReceived,
  type HlcReceiveOptions,
} from './components/clocks/hybrid-logical-clock.js';
export {
  isVisible,
  type AnyCrdtType,
  type Applied,
  type ApplyContext,
  type CrdtOptions,
  type CrdtType,
  type Json,
  type SpecUpdate,
} from './components/crdt/crdt-type.js';
export {
  CRDT_NAMED_BUGS,
  type CrdtBug,
  type CrdtBugDefinition,
} from './components/crdt/named-bugs.js';
export { CRDT_TYPE_NAMES, crdtTypeNamed } from './components/crdt/crdt-types.js';
export { CausalContext } from './components/crdt/causal-context.js';
export type { Causal, CausalCrdtType, DotStoreType } from './components/crdt/dot-store.js';
export { gCounter, type GCounterOp, type GCounterState } from './components/crdt/g-counter.js';
export { pnCounter, type PnCounterOp, type PnCounterState } from './components/crdt/pn-counter.js';
export { gSet, type GSetOp, type GSetState } from './components/crdt/g-set.js';
export {
  twoPhaseSet,
  type TwoPhaseSetOp,
  type TwoPhaseSetState,
} from './components/crdt/two-phase-set.js';
export { orSet, type OrSetOp, type OrSetState } from './components/crdt/or-set.js';
export {
  lwwRegister,
  type LwwRegisterOp,
  type LwwRegisterState,
} from './components/crdt/lww-register.js';
export { mvRegister, type MvRegisterOp } from './components/crdt/mv-register.js';
export { orMap, type OrMapOp, type OrMapValue } from './components/crdt/or-map.js';
export { rga, type RgaElement, type RgaOp, type RgaState } from './components/crdt/rga.js';
