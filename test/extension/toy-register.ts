/**
 * A test-only protocol, to show that a protocol is one module plus one registry entry: a single
 * register kept by one node (n1, the `keeper`), written to its disk and fsynced before a write is
 * acknowledged. Every other node redirects clients to the keeper. It has no replication at all,
 * so losing the keeper's disk loses the register: exactly what the `wipe` fault beside it does.
 *
 * Its one named bug acknowledges a write before the fsync, so a crash can lose an acknowledged
 * write; the `last-write-survives` checker and the linearizability checker both see that.
 */
import { z } from 'zod';
import type { ProtocolDefinition } from '../../src/core/protocol-definition.js';
import type { Effect, Protocol, Step } from '../../src/core/protocol.js';
import type { ToyInput, ToyOutput } from './toy-writes.js';

interface KeeperState {
  /** The register's file exists durably (its directory entry was fsynced): it may serve. */
  ready: boolean;
  /** The value last made durable, and the write number that made it so. */
  durable: number | null;
  durableSeq: number;
  /** Writes issued to disk, by tag: their value and the request to answer once durable. */
  readonly inflight: Map<number, { readonly value: number; readonly requestId: number }>;
  nextTag: number;
}

type Fx = Effect<never, ToyOutput>;

const FILE = 'register';
const ACK_BEFORE_FSYNC = 'toy-register.ack-before-fsync';

const fresh = (durable: number | null, ready: boolean): KeeperState => ({
  ready,
  durable,
  durableSeq: 0,
  inflight: new Map(),
  nextTag: 1,
});

function createToyRegister(
  bugs: ReadonlySet<string>,
): Protocol<KeeperState, never, ToyInput, ToyOutput> {
  const early = bugs.has(ACK_BEFORE_FSYNC);
  const keeperMark = (node: string): Fx[] =>
    node === 'n1' ? [{ type: 'mark', name: 'toy.keeper' }] : [];
  // A new file's name survives a crash only once the directory is fsynced (ALICE): create the
  // register's file, make its name durable, and only then serve.
  const create = (node: string): Step<KeeperState, never, ToyOutput> => ({
    state: fresh(null, false),
    effects: [
      ...keeperMark(node),
      { type: 'diskWrite', file: FILE, offset: 0, data: new Uint8Array(0), tag: 0, quiet: true },
      { type: 'diskSyncDir', tag: 0 },
    ],
  });
  const write = (
    s: KeeperState,
    value: number,
    requestId: number,
  ): Step<KeeperState, never, ToyOutput> => {
    const tag = s.nextTag++;
    s.inflight.set(tag, { value, requestId });
    const data = new TextEncoder().encode(`${value}\n`);
    const fx: Fx[] = [
      { type: 'diskWrite', file: FILE, offset: 0, data, tag, quiet: true },
      { type: 'diskSync', file: FILE, tag },
    ];
    if (early) fx.push({ type: 'reply', requestId, outcome: { type: 'ok', value: {} } });
    return { state: s, effects: fx };
  };
  return {
    name: 'toy-register',
    init: (ctx) => create(ctx.node),
    onRecover(ctx) {
      if (ctx.disk.size(FILE) === undefined) return create(ctx.node);
      const read = ctx.disk.read(FILE);
      const text = read.ok ? new TextDecoder().decode(read.data).trim() : '';
      const value = text === '' ? null : Number(text);
      return { state: fresh(value, true), effects: keeperMark(ctx.node) };
    },
    onRequest(s, req, ctx) {
      if (ctx.node !== 'n1') {
        const outcome = { type: 'fail', code: 'not-keeper', hint: 'n1' } as const;
        return { state: s, effects: [{ type: 'reply', requestId: req.id, outcome }] };
      }
      if (!s.ready) {
        const outcome = { type: 'fail', code: 'not-ready' } as const;
        return { state: s, effects: [{ type: 'reply', requestId: req.id, outcome }] };
      }
      if (req.op.f === 'write') return write(s, req.op.value, req.id);
      const outcome = { type: 'ok', value: { value: s.durable } } as const;
      return { state: s, effects: [{ type: 'reply', requestId: req.id, outcome }] };
    },
    onDiskDone(s, done) {
      if (done.op === 'syncDir') s.ready = true;
      const w = s.inflight.get(done.tag);
      if (w === undefined || done.op !== 'sync') return { state: s, effects: [] };
      s.inflight.delete(done.tag);
      // An fsync makes every earlier write durable: the latest of them is the register.
      if (done.ok && done.tag > s.durableSeq) {
        s.durableSeq = done.tag;
        s.durable = w.value;
      }
      if (early) return { state: s, effects: [] };
      const outcome = done.ok
        ? ({ type: 'ok', value: {} } as const)
        : ({ type: 'info', code: 'fsync-failed' } as const);
      return { state: s, effects: [{ type: 'reply', requestId: w.requestId, outcome }] };
    },
    onMessage: (s) => ({ state: s, effects: [] }),
    onTimer: (s) => ({ state: s, effects: [] }),
  };
}

export const toyRegister: ProtocolDefinition<Record<string, never>> = {
  name: 'toy-register',
  summary: 'one node keeps a register on its disk; no replication (a test-only example)',
  workloads: ['toy-writes'],
  roles: [{ name: 'keeper', summary: 'the node that holds the register', takenBy: 'toy.keeper' }],
  bugs: [{ name: ACK_BEFORE_FSYNC, summary: 'acknowledge a write before its fsync' }],
  optionsSchema: z.strictObject({}),
  create: ({ bugs }) => createToyRegister(bugs),
};
