/**
 * A protocol's handlers driven directly, without a world: the shared harness for paper-rule unit
 * tests (DESIGN §8). It plays the host's part where a test needs it and no more: a context per
 * node on a real `SimDisk`, disk effects applied the way the world applies them (a write lands
 * at once, an fsync makes it durable when its completion is delivered), completions fed back in
 * order, and filters that pick sends, replies, timers and marks out of an effect list.
 *
 * What it leaves out: the network and time. A test delivers messages itself, with the sender it
 * chooses, and moves `ctx.now` by hand, so each rule is exercised exactly as the paper states it.
 */
import { Prng } from '../../src/core/prng.js';
import type {
  DiskCompletion,
  Effect,
  NodeContext,
  Protocol,
  Step,
} from '../../src/core/protocol.js';
import { DEFAULT_DISK_CONFIG } from '../../src/disk/disk-config.js';
import { SimDisk } from '../../src/disk/sim-disk.js';

/** A node's context with its disk and a clock the test moves by hand. */
export type TestContext = NodeContext & { disk: SimDisk; now: number };

/** A protocol of state S and messages M, whatever its operations (tests drive any of them). */
// biome-ignore lint/suspicious/noExplicitAny: a test drives protocols of any operation types
type ProtocolOf<S, M> = Protocol<S, M, any, any>;
type Fx<M = unknown> = Effect<M, unknown>;

/**
 * The context of `node` in a cluster of `nodes`: peers sorted, randomness forked as the world
 * forks it (`node:<id>`), an empty disk with the default crash model.
 */
export function testContext(
  node: string,
  nodes: readonly string[],
  options: { readonly disk?: SimDisk; readonly now?: number; readonly seed?: number } = {},
): TestContext {
  const root = Prng.root(options.seed ?? 1);
  return {
    node,
    peers: nodes.filter((n) => n !== node),
    now: options.now ?? 0,
    random: root.fork(`node:${node}`),
    disk: options.disk ?? new SimDisk(DEFAULT_DISK_CONFIG, root.fork(`disk:${node}`)),
  };
}

/** Applies a step's disk effects to the disk at once, fsyncs included, with no completions. */
export function persist(ctx: TestContext, effects: readonly Fx[]): void {
  for (const e of effects) {
    if (e.type === 'diskWrite') ctx.disk.write(e.file, e.offset, e.data);
    else if (e.type === 'diskSync') ctx.disk.sync(e.file);
    else if (e.type === 'diskSyncDir') ctx.disk.syncDir();
    else if (e.type === 'diskRename') ctx.disk.rename(e.from, e.to);
    else if (e.type === 'diskDelete') ctx.disk.delete(e.file);
  }
}

export interface Settled<S, M> {
  readonly state: S;
  /** Every effect on the way that was not a disk operation, in order. */
  readonly effects: Fx<M>[];
  /** fsync completions held back (`syncs: false`), for the test to deliver when it chooses. */
  readonly pending: DiskCompletion[];
}

/**
 * Applies a step's disk effects as the host would and feeds their completions back, in the order
 * they were issued, until nothing is pending. With `syncs: false` fsyncs are not completed: their
 * completions come back in `pending`, so a test can look at what the node does before its data
 * is durable. A quiet write gets no completion, as in the world.
 */
export function settle<S, M>(
  protocol: ProtocolOf<S, M>,
  ctx: TestContext,
  step: Step<S, M, unknown>,
  options: { readonly syncs?: boolean } = {},
): Settled<S, M> {
  let state = step.state;
  const effects: Fx<M>[] = [];
  const queue: DiskCompletion[] = [];
  const take = (list: readonly Fx<M>[]) => {
    for (const e of list) {
      const done = applyDiskEffect(ctx, e);
      if (done === 'not-disk') effects.push(e);
      else if (done !== undefined) queue.push(done);
    }
  };
  take(step.effects);
  const pending: DiskCompletion[] = [];
  while (queue.length > 0) {
    const d = queue.shift() as DiskCompletion;
    if (d.op === 'sync' && options.syncs === false) {
      pending.push(d);
      continue;
    }
    if (d.op === 'sync') ctx.disk.sync(d.file);
    if (d.op === 'syncDir') ctx.disk.syncDir();
    const next = protocol.onDiskDone(state, d, ctx);
    state = next.state;
    take(next.effects);
  }
  return { state, effects, pending };
}

/** A disk effect applied now, and the completion the host would deliver for it later. */
function applyDiskEffect(ctx: TestContext, e: Fx): DiskCompletion | undefined | 'not-disk' {
  switch (e.type) {
    case 'diskWrite':
      ctx.disk.write(e.file, e.offset, e.data);
      return e.quiet === true ? undefined : { op: 'write', file: e.file, tag: e.tag, ok: true };
    case 'diskSync':
      return { op: 'sync', file: e.file, tag: e.tag, ok: true };
    case 'diskSyncDir':
      return { op: 'syncDir', file: '', tag: e.tag, ok: true };
    case 'diskRename':
      ctx.disk.rename(e.from, e.to);
      return { op: 'rename', file: e.from, tag: e.tag, ok: true };
    case 'diskDelete':
      ctx.disk.delete(e.file);
      return { op: 'delete', file: e.file, tag: e.tag, ok: true };
    default:
      return 'not-disk';
  }
}

/** First boot with every disk operation completed. */
export function boot<S, M>(protocol: ProtocolOf<S, M>, ctx: TestContext): S {
  return settle(protocol, ctx, protocol.init(ctx)).state;
}

type SendFx<M> = Extract<Fx<M>, { type: 'send' }>;
type ReplyFx = Extract<Fx, { type: 'reply' }>;

/** The messages in an effect list, each as `{ to, ...msg }`. */
export function sent<M extends object>(effects: readonly Fx<M>[]): ({ to: string } & M)[] {
  return effects
    .filter((e): e is SendFx<M> => e.type === 'send')
    .map((e) => ({ to: e.to, ...e.msg }));
}

/** The send effects themselves. */
export function sends<M>(effects: readonly Fx<M>[]): SendFx<M>[] {
  return effects.filter((e): e is SendFx<M> => e.type === 'send');
}

export function replies(effects: readonly Fx[]): ReplyFx[] {
  return effects.filter((e): e is ReplyFx => e.type === 'reply');
}

export function syncs(effects: readonly Fx[]): Extract<Fx, { type: 'diskSync' }>[] {
  return effects.filter((e): e is Extract<Fx, { type: 'diskSync' }> => e.type === 'diskSync');
}

/** Names of the marks in an effect list, in order. */
export function marks(effects: readonly Fx[]): string[] {
  return effects.flatMap((e) => (e.type === 'mark' ? [e.name] : []));
}
