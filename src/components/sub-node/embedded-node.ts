/**
 * A node hosted inside a node: the composition DESIGN §2 describes, where a protocol builds on
 * another by running the other's own handlers (a shard manager keeping its state on Raft, a
 * storage node hosting one primary/backup group per shard) rather than a copy of them. The
 * host still sees one node; everything the inner node does is wrapped in its namespace:
 *
 * - messages travel in an envelope `{ sub, msg }` naming the inner node they are for;
 * - timers are named `<ns>/<name>`;
 * - files are named `<ns>.<file>`, and the inner node reads the disk through a view that shows
 *   only its own files, under their own names;
 * - disk tags are drawn from one allocator per outer node (`SubNodeTags`), so a completion is
 *   routed back to the inner node that asked, with the tag it chose (a directory fsync has no
 *   file name to route by);
 * - marks are renamed with a prefix the embedder picks (an inner Raft's `role.primary` is not
 *   the outer node's);
 * - replies to requests the embedder submitted itself (`submit`) come back to it as return
 *   values; replies to client requests it forwarded pass through to the client.
 *
 * The inner node sees the outer node's id, clock and random stream, and as peers the members
 * of its own group. It is as deterministic as its host: no draw, no allocation order, no
 * iteration over unsorted keys is added here.
 *
 * Left out: membership changes of the inner group (a new group is a new inner node, under a
 * new namespace) and per-inner-node crashes (an inner node crashes with its host).
 */
import { assert } from '../../core/assert.js';
import type { NodeId } from '../../core/ids.js';
import type {
  ClientRequest,
  DiskCompletion,
  DiskReader,
  Effect,
  NodeContext,
  Outcome,
  Protocol,
  Step,
  TimerName,
} from '../../core/protocol.js';

/** A message for an inner node, on the wire between outer nodes. */
export interface SubEnvelope<M = unknown> {
  readonly sub: string;
  readonly msg: M;
}

/** A reply the inner node gave to a request the embedder submitted itself. */
export interface InnerReply<O> {
  readonly requestId: number;
  readonly outcome: Outcome<O>;
}

/** What a handler returns when no reply came back: one shared, frozen empty list. */
const NO_REPLIES: readonly InnerReply<never>[] = Object.freeze([]);

const NAMESPACE = /^[A-Za-z0-9_-]{1,64}$/;

/** The file an inner node's `file` is stored as. */
export const subFile = (ns: string, file: string): string => `${ns}.${file}`;

/** The timer an inner node's `name` is armed as. */
export const subTimer = (ns: string, name: TimerName): TimerName => `${ns}/${name}`;

/** The namespace and inner name of an outer timer, or undefined for the outer node's own. */
export function splitSubTimer(
  name: TimerName,
): { readonly ns: string; readonly name: TimerName } | undefined {
  const at = name.indexOf('/');
  return at < 0 ? undefined : { ns: name.slice(0, at), name: name.slice(at + 1) };
}

/**
 * `splitSubTimer`, remembered per name for one host: a host splits the name of every timer that
 * fires, and the names are a few per inner node, so each is split once rather than per event.
 * The parts it returns are shared: read them, never change them.
 */
export class SubTimerNames {
  private readonly split = new Map<TimerName, { readonly ns: string; readonly name: TimerName }>();

  of(name: TimerName): { readonly ns: string; readonly name: TimerName } | undefined {
    const known = this.split.get(name);
    if (known !== undefined) return known;
    const parts = splitSubTimer(name);
    if (parts !== undefined && this.split.size < SPLIT_REMEMBERED_MAX) this.split.set(name, parts);
    return parts;
  }
}

/** Timer names a host remembers split (a few per inner node; past this, split each time). */
const SPLIT_REMEMBERED_MAX = 16_384;

/** The namespaces that have files on this disk (an inner node that once ran here), sorted. */
export const subNamespaces = (disk: DiskReader): string[] => namespacesIn(disk.list());

/** The namespaces among the files of a disk's listing (sorted, as `list` gives it), sorted. */
export function namespacesIn(listing: readonly string[]): string[] {
  // In a sorted listing a namespace's files come one after another (whatever sorts between two
  // names starting `ns.` starts so too), and the namespaces come out sorted unless one is a
  // prefix of another followed by a character below '.': checked, and sorted only then.
  const out: string[] = [];
  let last = '';
  for (const f of listing) {
    if (last !== '' && f.startsWith(last) && f.charCodeAt(last.length) === 0x2e) continue;
    const at = f.indexOf('.');
    if (at <= 0) continue;
    last = f.slice(0, at);
    out.push(last);
  }
  for (let i = 1; i < out.length; i++)
    if ((out[i - 1] as string) >= (out[i] as string)) return [...new Set(out)].sort();
  return out;
}

/**
 * Disk tags of one outer node: every inner node (and the outer node's own writes, through
 * `own`) draws from here, so a completion names exactly one asker. Volatile: a crash drops it
 * with the node, and the host drops completions of the older incarnation.
 */
export class SubNodeTags {
  private next = 1;
  private readonly asked = new Map<number, { readonly ns: string; readonly tag: number }>();

  /** An outer tag standing for inner node `ns`'s tag `tag`. */
  wrap(ns: string, tag: number): number {
    const t = this.next++;
    this.asked.set(t, { ns, tag });
    return t;
  }

  /** A tag for the outer node's own disk effect. */
  own(): number {
    return this.next++;
  }

  /** Who asked for the completion tagged `tag`, or undefined when the outer node did. */
  take(tag: number): { readonly ns: string; readonly tag: number } | undefined {
    const who = this.asked.get(tag);
    if (who !== undefined) this.asked.delete(tag);
    return who;
  }
}

export interface EmbeddedNodeOptions {
  /** Put before every inner mark's name; `''` passes marks through unchanged. */
  readonly markPrefix?: string;
  /** Where the node notes that it stepped, for an embedder holding many (SteppedNodes). */
  readonly stepped?: SteppedNodes;
}

/**
 * The inner nodes of one outer node that stepped since their invariants were last checked: an
 * embedder holding dozens checks these after an event rather than asking every one.
 */
export class SteppedNodes {
  /**
   * Each at most once, in the order they first stepped. An array, not a Set: it is read after
   * every event of the host, and iterating a Set allocates an iterator each time.
   */
  private readonly list: EmbeddedNode<unknown, unknown>[] = [];

  get size(): number {
    return this.list.length;
  }

  /** The `i`th node noted, in the order they first stepped. */
  at(i: number): EmbeddedNode<unknown, unknown> {
    return this.list[i] as EmbeddedNode<unknown, unknown>;
  }

  /** Notes that `node` stepped (again: noted once). Most events step the node noted last. */
  add(node: EmbeddedNode<unknown, unknown>): void {
    const n = this.list.length;
    if (n > 0 && (this.list[n - 1] === node || this.list.includes(node))) return;
    this.list.push(node);
  }

  clear(): void {
    this.list.length = 0;
  }
}

// biome-ignore lint/suspicious/noExplicitAny: an embedder may host a protocol of any types
type AnyInner = Protocol<any, any, any, any>;
// biome-ignore lint/suspicious/noExplicitAny: the outer node's effects carry envelopes
type OuterEffect = Effect<any, any>;

/**
 * One inner node: its protocol, namespace and group, and its state while it runs. Each handler
 * translates the inner step's effects into `out` and returns the replies to the embedder's own
 * requests.
 */
export class EmbeddedNode<S = unknown, O = unknown> {
  state: S | undefined = undefined;
  private readonly submitted = new Set<number>();
  private readonly markPrefix: string;
  /** Stepped since its invariants were last checked (a node that has not is as it was then). */
  private stepped = true;
  private readonly steps: SteppedNodes | undefined;
  /** Its peers and its view of the disk, built once per outer disk rather than per event. */
  private peers: readonly NodeId[] | undefined;
  private view: { readonly outer: DiskReader; readonly inner: DiskReader } | undefined;
  /**
   * The context it was last handed, refreshed in place while the outer node, random stream and
   * disk stay the same (the host does the same with its own context: a handler may read it only
   * during its call).
   */
  private ctx: { -readonly [K in keyof NodeContext]: NodeContext[K] } | undefined;
  /**
   * Its timer, mark and file names as the outer node sees them, built once per inner name: the same
   * string each time, so the host's maps and the trace's labels hash it once, not per event.
   */
  private readonly timerNames = new Map<TimerName, TimerName>();
  private readonly markNames = new Map<string, string>();
  private readonly fileNames = new Map<string, string>();
  /** The other way: inner names by outer name, for the completions routed back here. */
  private readonly innerFiles = new Map<string, string>();
  /** What `subFile` puts before each of its files' names. */
  private readonly filePrefix: string;

  constructor(
    readonly protocol: AnyInner,
    readonly ns: string,
    /** The inner group's members, this node included. */
    readonly members: readonly NodeId[],
    private readonly tags: SubNodeTags,
    options: EmbeddedNodeOptions = {},
  ) {
    assert(NAMESPACE.test(ns), () => `sub-node namespace ${JSON.stringify(ns)}: letters, digits`);
    this.markPrefix = options.markPrefix ?? `${ns}.`;
    this.filePrefix = subFile(ns, '');
    this.steps = options.stepped;
    this.steps?.add(this);
  }

  get running(): boolean {
    return this.state !== undefined;
  }

  /** First boot, on no files of its own. */
  init(ctx: NodeContext, out: OuterEffect[]): readonly InnerReply<O>[] {
    return this.apply(this.protocol.init(this.context(ctx)), out);
  }

  /** Restart from the files its namespace holds on the outer node's disk. */
  recover(ctx: NodeContext, out: OuterEffect[]): readonly InnerReply<O>[] {
    return this.apply(this.protocol.onRecover(this.context(ctx)), out);
  }

  message(
    from: NodeId,
    msg: unknown,
    ctx: NodeContext,
    out: OuterEffect[],
  ): readonly InnerReply<O>[] {
    if (this.state === undefined) return NO_REPLIES;
    return this.apply(this.protocol.onMessage(this.state, from, msg, this.context(ctx)), out);
  }

  /** Its timer `name` (the inner name, as `splitSubTimer` gives it) fired. */
  timer(name: TimerName, ctx: NodeContext, out: OuterEffect[]): readonly InnerReply<O>[] {
    if (this.state === undefined) return NO_REPLIES;
    return this.apply(this.protocol.onTimer(this.state, name, this.context(ctx)), out);
  }

  /** A client's request, forwarded: the reply goes to the client. */
  request(
    req: ClientRequest<unknown>,
    ctx: NodeContext,
    out: OuterEffect[],
  ): readonly InnerReply<O>[] {
    if (this.state === undefined) return NO_REPLIES;
    return this.apply(this.protocol.onRequest(this.state, req, this.context(ctx)), out);
  }

  /** The embedder's own request: its reply is returned, from this call or a later one. */
  submit(
    req: ClientRequest<unknown>,
    ctx: NodeContext,
    out: OuterEffect[],
  ): readonly InnerReply<O>[] {
    this.submitted.add(req.id);
    return this.request(req, ctx, out);
  }

  /** A completion `SubNodeTags.take` routed here, with the inner tag it returned. */
  diskDone(
    done: DiskCompletion,
    innerTag: number,
    ctx: NodeContext,
    out: OuterEffect[],
  ): readonly InnerReply<O>[] {
    if (this.state === undefined) return NO_REPLIES;
    const inner: DiskCompletion = { ...done, file: this.innerFile(done.file), tag: innerTag };
    return this.apply(this.protocol.onDiskDone(this.state, inner, this.context(ctx)), out);
  }

  /**
   * Its invariants, when it has stepped since they were last checked: its state changes only
   * through its own handlers, so a node that has not stepped would pass again. A host with many
   * inner nodes (a storage node holds dozens of shard groups) then pays per step, not per group.
   */
  checkInvariants(ctx: NodeContext): void {
    if (this.state === undefined || !this.stepped) return;
    this.stepped = false;
    this.protocol.checkInvariants?.(this.state, this.context(ctx));
  }

  /** The context the inner node sees: its group as peers, its own files as the disk. */
  context(ctx: NodeContext): NodeContext {
    const mine = this.ctx;
    if (mine !== undefined && this.view?.outer === ctx.disk) {
      if (mine.node === ctx.node && mine.random === ctx.random) {
        mine.now = ctx.now;
        return mine;
      }
    }
    this.peers ??= this.members.filter((m) => m !== ctx.node);
    if (this.view?.outer !== ctx.disk)
      this.view = { outer: ctx.disk, inner: namespacedDisk(ctx.disk, (f) => this.fileName(f)) };
    this.ctx = {
      node: ctx.node,
      peers: this.peers,
      now: ctx.now,
      random: ctx.random,
      disk: this.view.inner,
    };
    return this.ctx;
  }

  private timerName(name: TimerName): TimerName {
    return this.timerNames.get(name) ?? remember(this.timerNames, name, subTimer(this.ns, name));
  }

  private fileName(file: string): string {
    return this.fileNames.get(file) ?? remember(this.fileNames, file, subFile(this.ns, file));
  }

  /** The inner name of outer file `file` (as is, when it is not one of this node's files). */
  private innerFile(file: string): string {
    const prefix = this.filePrefix;
    if (!file.startsWith(prefix)) return file;
    return this.innerFiles.get(file) ?? remember(this.innerFiles, file, file.slice(prefix.length));
  }

  private markName(name: string): string {
    return this.markNames.get(name) ?? remember(this.markNames, name, this.markPrefix + name);
  }

  private apply(step: Step<S, unknown, O>, out: OuterEffect[]): readonly InnerReply<O>[] {
    this.state = step.state;
    this.stepped = true;
    this.steps?.add(this);
    let replies: InnerReply<O>[] | undefined;
    for (const fx of step.effects) {
      if (fx.type === 'reply' && this.submitted.delete(fx.requestId)) {
        replies ??= [];
        replies.push({ requestId: fx.requestId, outcome: fx.outcome as Outcome<O> });
      } else out.push(this.wrap(fx));
    }
    return replies ?? NO_REPLIES;
  }

  private wrap(fx: Effect<unknown, O>): OuterEffect {
    const ns = this.ns;
    switch (fx.type) {
      case 'send':
        return { type: 'send', to: fx.to, msg: { sub: ns, msg: fx.msg } satisfies SubEnvelope };
      case 'setTimer':
        return { type: 'setTimer', name: this.timerName(fx.name), afterUs: fx.afterUs };
      case 'cancelTimer':
        return { type: 'cancelTimer', name: this.timerName(fx.name) };
      case 'diskWrite':
        return { ...fx, file: this.fileName(fx.file), tag: this.tags.wrap(ns, fx.tag) };
      case 'diskSync':
      case 'diskDelete':
        return { ...fx, file: this.fileName(fx.file), tag: this.tags.wrap(ns, fx.tag) };
      case 'diskSyncDir':
        return { type: 'diskSyncDir', tag: this.tags.wrap(ns, fx.tag) };
      case 'diskRename':
        return {
          type: 'diskRename',
          from: this.fileName(fx.from),
          to: this.fileName(fx.to),
          tag: this.tags.wrap(ns, fx.tag),
        };
      case 'reply':
        return fx;
      case 'mark':
        return fx.value === undefined
          ? { type: 'mark', name: this.markName(fx.name) }
          : { type: 'mark', name: this.markName(fx.name), value: fx.value };
    }
  }
}

/**
 * Names an inner protocol uses are a handful of constants; one that makes them up as it goes
 * (a name per entry) stops being remembered at NAMES_REMEMBERED_MAX, so the cache stays bounded.
 */
const NAMES_REMEMBERED_MAX = 256;

function remember(names: Map<string, string>, inner: string, outer: string): string {
  if (names.size < NAMES_REMEMBERED_MAX) names.set(inner, outer);
  return outer;
}

/**
 * The outer disk as the inner node sees it: only its own files, under their own names
 * (`outerName` gives a file's name on the outer disk; the prefix is what `subFile` puts first).
 */
function namespacedDisk(disk: DiskReader, outerName: (file: string) => string): DiskReader {
  const prefix = outerName('');
  return {
    list: () =>
      disk
        .list()
        .filter((f) => f.startsWith(prefix))
        .map((f) => f.slice(prefix.length)),
    size: (file) => disk.size(outerName(file)),
    read: (file, offset, length) => disk.read(outerName(file), offset, length),
  };
}
