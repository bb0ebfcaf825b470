/**
 * Coordinating a client's request (Dynamo §4.5). Any node coordinates whatever it is asked.
 *
 * A put takes the next dot of the coordinator for the key and the context its client read,
 * joins the key's versions the coordinator keeps, and makes them durable in its own WAL before
 * anything leaves the node (so a restarted node never gives a dot twice); then it ships its
 * versions of the key to the preference list's nodes and answers `ok` once W of them (itself
 * included, if it is one) have them durably. Under a sloppy quorum, home nodes still silent after
 * `fallbackAfterMs` are stood in for by the next nodes on the ring, each with a hint naming the
 * home node it keeps the write for.
 *
 * A get asks the preference list (and, under a sloppy quorum, fallbacks after the same wait, whose
 * replies are merged in but do not count) and answers once R home nodes have replied, with the
 * resolved versions of the replies: their values and causal context.
 *
 * A delete is a put of a tombstone: its own dot, the context its client read, no value; once all
 * N home nodes hold it, and nothing else, its coordinator has them collect it (tombstones.ts).
 *
 * A request not answered within `requestTimeoutMs` is given up: a put that may be on some
 * replicas is `info`, a get `fail`. A put no replica took, coordinated outside the preference
 * list, stays behind as hints for the home nodes (hinted-handoff.ts).
 */
import { assert } from '../../core/assert.js';
import type { ClientRequest, NodeContext } from '../../core/protocol.js';
import type { NodeId } from '../../core/ids.js';
import { compareHlc, hlcReceive, hlcSend } from '../../components/clocks/hybrid-logical-clock.js';
import { VectorClock } from '../../components/clocks/vector-clock.js';
import { bindingOfType } from '../crdt/index.js';
import {
  crdtValue,
  DEFAULT_KEY,
  deltaValue,
  isCrdtInput,
  type KeyedCrdtInput,
} from './crdt-values.js';
import type { DynamoConfig } from './dynamo-config.js';
import {
  type DynamoEffect,
  type DynamoState,
  newRid,
  type PendingGet,
  type PendingPut,
  type WriteInput,
} from './dynamo-state.js';
import { keepStrandedWrite } from './hinted-handoff.js';
import { repairReplicas, staleRepair } from './read-repair.js';
import { localRead } from './replica.js';
import { reapIfEveryHome } from './tombstones.js';
import { readOf, syncVersions, type Versions, writeVersion } from './versions.js';
import { writeKey } from './wal.js';

/** A get's answer: the values and their context, or a CRDT value's value. */
const getValue = (cfg: DynamoConfig, vs: Versions): unknown =>
  cfg.resolver.crdt === undefined ? readOf(vs) : crdtValue(cfg.resolver.crdt, vs);

/** A kv-context operation, or a counter or set one on a key, as the protocol receives it. */
export type DynamoInput =
  | { readonly f: 'get'; readonly key: string }
  | Exclude<WriteInput, { f: 'update' }>
  | KeyedCrdtInput;

export const FALLBACK_TIMER = 'fallback:';
export const EXPIRE_TIMER = 'expire:';

export function onClientRequest(
  cfg: DynamoConfig,
  s: DynamoState,
  req: ClientRequest<DynamoInput>,
  ctx: NodeContext,
  fx: DynamoEffect[],
): void {
  if (!s.ready) {
    fx.push({ type: 'reply', requestId: req.id, outcome: { type: 'fail', code: 'not-ready' } });
    return;
  }
  const ids = { requestId: req.id, seq: req.seq };
  const op = asWrite(cfg, req.op);
  if (op.f === 'get') startGet(cfg, s, ids, op.key, undefined, ctx, fx);
  // LWW by HLC reads the key's timestamps first, so the write is stamped after every write a
  // read quorum has: after every write acknowledged before it began, when R + W > N.
  else if (cfg.resolver.resolution === 'lww-hlc' && !cfg.bugs.wallClockLww)
    startGet(cfg, s, ids, op.key, op, ctx, fx);
  else startPut(cfg, s, ids, op, ctx, fx);
}

/** A counter or set client's operation as a get or an update of its key (crdt-values.ts). */
function asWrite(
  cfg: DynamoConfig,
  op: DynamoInput,
): { readonly f: 'get'; readonly key: string } | WriteInput {
  if (!isCrdtInput(op)) return op;
  const key = op.key ?? DEFAULT_KEY;
  if (op.f === 'read' || op.f === 'get') return { f: 'get', key };
  const type = cfg.resolver.crdt;
  assert(type !== undefined, () => `dynamo: a ${op.f} needs resolution: crdt`);
  return { f: 'update', key, op: bindingOfType(type.name).toCrdtOp(op) };
}

/** `n1:3` entries back to a clock; the workload wrote them from a get's output. */
function parseContext(entries: readonly string[]): VectorClock {
  return VectorClock.from(
    entries.map((e) => {
      const at = e.lastIndexOf(':');
      return [e.slice(0, at), Number(e.slice(at + 1))] as const;
    }),
  );
}

/** The write's timestamp: the wall clock as it reads here, or the HLC lifted past the key's. */
function stamp(cfg: DynamoConfig, s: DynamoState, vs: Versions, ctx: NodeContext) {
  if (cfg.resolver.resolution === 'lww-wall' || cfg.bugs.wallClockLww) return { l: ctx.now, c: 0 };
  liftHlc(s, vs, ctx);
  s.hlc = hlcSend(s.hlc, ctx.now);
  return s.hlc;
}

/** The HLC past every timestamp of `vs`. */
function liftHlc(s: DynamoState, vs: Versions, ctx: NodeContext): void {
  for (const v of vs) {
    if (compareHlc(v.ts, s.hlc) <= 0) continue;
    const r = hlcReceive(s.hlc, v.ts, ctx.now);
    if (r.ok) s.hlc = r.clock;
  }
}

/** A client request's attempt id (replies name it) and operation number (the history's). */
interface RequestIds {
  readonly requestId: number;
  readonly seq: number;
}

function startPut(
  cfg: DynamoConfig,
  s: DynamoState,
  ids: RequestIds,
  op: WriteInput,
  ctx: NodeContext,
  fx: DynamoEffect[],
): void {
  const held = s.working.get(op.key) ?? [];
  const ts = stamp(cfg, s, held, ctx);
  const tomb = op.f === 'delete';
  const context = op.f === 'update' ? VectorClock.EMPTY : parseContext(op.context);
  const write = { node: s.id, context, value: writeValue(cfg, s, held, op), ts, tomb };
  const floor = s.floors.get(op.key);
  const { versions, version } = writeVersion(cfg.resolver, held, write, floor);
  const rid = newRid(s, ctx);
  const put: PendingPut = {
    rid,
    requestId: ids.requestId,
    seq: ids.seq,
    key: op.key,
    version,
    versions,
    acks: new Set(),
    fallbacks: new Set(),
    replied: false,
  };
  s.puts.set(rid, put);
  if (versions.length > 1) fx.push({ type: 'mark', name: 'dynamo.siblings' });
  writeKey(s, op.key, versions, [{ a: 'coordinate', rid }], fx);
  fx.push({ type: 'setTimer', name: EXPIRE_TIMER + rid, afterUs: cfg.requestTimeoutUs });
}

/** A put's value, a delete's none, or an update's delta of the key's CRDT state. */
function writeValue(cfg: DynamoConfig, s: DynamoState, held: Versions, op: WriteInput): string {
  if (op.f === 'put') return op.value;
  if (op.f === 'delete' || cfg.resolver.crdt === undefined) return '';
  return deltaValue(cfg.resolver.crdt, held, op.op, s.id);
}

/** The coordinator's own write is durable: it counts if it is a home node, and ships it. */
export function coordinate(cfg: DynamoConfig, s: DynamoState, rid: number, fx: DynamoEffect[]) {
  const put = s.puts.get(rid);
  if (put === undefined) return;
  put.versions = s.store.get(put.key) ?? put.versions;
  const homes = cfg.ring.preferenceList(put.key, cfg.n);
  for (const home of homes) {
    if (home === s.id) put.acks.add(s.id);
    else fx.push({ type: 'send', to: home, msg: replicate(s, put) });
  }
  if (cfg.sloppyQuorum)
    fx.push({ type: 'setTimer', name: FALLBACK_TIMER + rid, afterUs: cfg.fallbackAfterUs });
  checkPut(cfg, s, put, fx);
}

const replicate = (s: DynamoState, put: PendingPut, hint?: NodeId) => ({
  type: 'Replicate' as const,
  rid: put.rid,
  key: put.key,
  versions: put.versions,
  hlc: s.hlc,
  ...(hint === undefined ? {} : { hint }),
});

/** A replica has the write durably. */
export function onReplicated(
  cfg: DynamoConfig,
  s: DynamoState,
  from: NodeId,
  rid: number,
  fx: DynamoEffect[],
) {
  const put = s.puts.get(rid);
  if (put === undefined) return;
  put.acks.add(from);
  checkPut(cfg, s, put, fx);
}

function checkPut(cfg: DynamoConfig, s: DynamoState, put: PendingPut, fx: DynamoEffect[]) {
  // A delete waits on, after its reply, for the rest of the home nodes: then they collect it.
  if (put.replied && put.version.tomb === true) return finishWithAll(cfg, s, put, fx);
  if (put.replied || put.acks.size < cfg.w) return;
  put.replied = true;
  const { node, counter } = put.version.dot;
  const context = readOf([{ ...put.version, context: put.version.context.with(node, counter) }]);
  // An update of a CRDT value answers as the crdt protocol's do: its effect is the state's.
  const value = cfg.resolver.crdt === undefined ? { context: context.context } : null;
  fx.push({ type: 'reply', requestId: put.requestId, outcome: { type: 'ok', value } });
  finishWithAll(cfg, s, put, fx);
}

/** Every replica asked has the write: a tombstone every home node holds is collected. */
function finishWithAll(cfg: DynamoConfig, s: DynamoState, put: PendingPut, fx: DynamoEffect[]) {
  if (put.acks.size < cfg.n) return;
  reapIfEveryHome(cfg, s, put, fx);
  finish(s, put.rid, fx);
}

/**
 * Sloppy quorum: each home node that has not answered yet is stood in for by the next node on
 * the ring past the preference list not yet asked (Dynamo §4.6).
 */
export function onFallbackTimer(
  cfg: DynamoConfig,
  s: DynamoState,
  rid: number,
  ctx: NodeContext,
  fx: DynamoEffect[],
) {
  const put = s.puts.get(rid);
  if (put !== undefined) return fallbackPut(cfg, s, put, fx);
  const get = s.gets.get(rid);
  if (get !== undefined && !get.replied) fallbackGet(cfg, s, get, ctx, fx);
}

function fallbackPut(cfg: DynamoConfig, s: DynamoState, put: PendingPut, fx: DynamoEffect[]) {
  if (put.replied) return;
  const all = cfg.ring.extendedList(put.key);
  const homes = all.slice(0, cfg.n);
  const spare = all.slice(cfg.n).filter((f) => !put.fallbacks.has(f) && f !== s.id);
  for (const home of homes) {
    if (put.acks.has(home)) continue;
    const f = spare.shift();
    if (f === undefined) break;
    put.fallbacks.add(f);
    fx.push({ type: 'send', to: f, msg: replicate(s, put, home) });
    fx.push({ type: 'mark', name: 'dynamo.sloppy-fallback' });
  }
}

function startGet(
  cfg: DynamoConfig,
  s: DynamoState,
  ids: RequestIds,
  key: string,
  then: WriteInput | undefined,
  ctx: NodeContext,
  fx: DynamoEffect[],
): void {
  const rid = newRid(s, ctx);
  const get: PendingGet = {
    rid,
    requestId: ids.requestId,
    seq: ids.seq,
    key,
    replies: new Map(),
    asked: new Set(),
    replied: false,
    resolved: undefined,
    then,
  };
  s.gets.set(rid, get);
  for (const home of cfg.ring.preferenceList(key, cfg.n)) askRead(cfg, s, get, home, fx);
  fx.push({ type: 'setTimer', name: EXPIRE_TIMER + rid, afterUs: cfg.requestTimeoutUs });
  if (cfg.sloppyQuorum)
    fx.push({ type: 'setTimer', name: FALLBACK_TIMER + rid, afterUs: cfg.fallbackAfterUs });
  checkGet(cfg, s, get, ctx, fx);
}

function askRead(
  cfg: DynamoConfig,
  s: DynamoState,
  get: PendingGet,
  to: NodeId,
  fx: DynamoEffect[],
): void {
  get.asked.add(to);
  if (to === s.id) get.replies.set(s.id, localRead(cfg, s, get.key));
  else fx.push({ type: 'send', to, msg: { type: 'Read', rid: get.rid, key: get.key, hlc: s.hlc } });
}

function fallbackGet(
  cfg: DynamoConfig,
  s: DynamoState,
  get: PendingGet,
  ctx: NodeContext,
  fx: DynamoEffect[],
) {
  const all = cfg.ring.extendedList(get.key);
  const missing = all.slice(0, cfg.n).filter((h) => !get.replies.has(h)).length;
  const spare = all.slice(cfg.n).filter((f) => !get.asked.has(f));
  for (const f of spare.slice(0, missing)) askRead(cfg, s, get, f, fx);
  checkGet(cfg, s, get, ctx, fx);
}

export function onReadReply(
  cfg: DynamoConfig,
  s: DynamoState,
  from: NodeId,
  m: { readonly rid: number; readonly key: string; readonly versions: Versions },
  ctx: NodeContext,
  fx: DynamoEffect[],
): void {
  const get = s.gets.get(m.rid);
  if (get === undefined || get.key !== m.key || !get.asked.has(from)) return;
  get.replies.set(from, m.versions);
  checkGet(cfg, s, get, ctx, fx);
  if (get.replied && cfg.readRepair) repairReplicas(cfg, s, get, fx);
}

function checkGet(
  cfg: DynamoConfig,
  s: DynamoState,
  get: PendingGet,
  ctx: NodeContext,
  fx: DynamoEffect[],
) {
  if (get.replied || homeReplies(cfg, get) < cfg.r) return;
  get.replied = true;
  let resolved: Versions = [];
  for (const vs of get.replies.values()) resolved = syncVersions(cfg.resolver, resolved, vs);
  get.resolved = resolved;
  if (get.then !== undefined) {
    finish(s, get.rid, fx);
    liftHlc(s, resolved, ctx);
    const ids = { requestId: get.requestId, seq: get.seq };
    return startPut(cfg, s, ids, get.then, ctx, fx);
  }
  fx.push({
    type: 'reply',
    requestId: get.requestId,
    outcome: { type: 'ok', value: getValue(cfg, resolved) },
  });
  if (cfg.readRepair) repairReplicas(cfg, s, get, fx);
  // With the stale-repair bug the get lingers until it expires, to repair late (read-repair.ts).
  if (get.replies.size >= get.asked.size && !cfg.bugs.repairOverwrites) finish(s, get.rid, fx);
}

/**
 * Replies from the key's home nodes: only they count toward R. A fallback's reply is merged in,
 * but it may have handed its hints off already, or never held the key (found by dynamo-sloppy
 * seed 1671: a final get counted the coordinator's own stale copy as a fallback and missed an
 * acknowledged write two home nodes had).
 */
function homeReplies(cfg: DynamoConfig, get: PendingGet): number {
  let count = 0;
  for (const home of cfg.ring.preferenceList(get.key, cfg.n)) if (get.replies.has(home)) count++;
  return count;
}

/** The request's time is up: a put not yet answered may be on some replicas; a get did nothing. */
export function onExpireTimer(
  cfg: DynamoConfig,
  s: DynamoState,
  rid: number,
  fx: DynamoEffect[],
): void {
  const put = s.puts.get(rid);
  if (put !== undefined) keepStrandedWrite(cfg, s, put, fx);
  if (put !== undefined && !put.replied)
    fx.push({
      type: 'reply',
      requestId: put.requestId,
      outcome: { type: 'info', code: 'timeout' },
    });
  const get = s.gets.get(rid);
  if (get?.replied && cfg.bugs.repairOverwrites) staleRepair(s, get, fx);
  if (get !== undefined && !get.replied)
    fx.push({
      type: 'reply',
      requestId: get.requestId,
      outcome: { type: 'fail', code: 'timeout' },
    });
  finish(s, rid, fx);
}

function finish(s: DynamoState, rid: number, fx: DynamoEffect[]): void {
  s.puts.delete(rid);
  s.gets.delete(rid);
  fx.push({ type: 'cancelTimer', name: EXPIRE_TIMER + rid });
  fx.push({ type: 'cancelTimer', name: FALLBACK_TIMER + rid });
}
