/**
 * The linearizability checker of runs against broken copies of itself, from outside: the checker
 * is taken from the registry as a run sees it, and each mutant hands it a model or a history
 * rewritten the way one real mistake would read them (reads never compared, real time ignored,
 * unknown operations dropped or closed early, appends that overwrite, keys not kept apart). The
 * recorded kv histories below must give each mutant a different verdict somewhere.
 */
import type { CheckerDefinition, RunRecord } from '../../../src/checkers/checker-definition.js';
import type { AnyModel } from '../../../src/checkers/linearizability/types.js';
import { CHECKERS } from '../../../src/checkers/registry.js';
import type { History, KvInput, Operation, OpOutcome } from '../../../src/core/history.js';
import { kvWorkload } from '../../../src/workloads/kv.js';
import { type Mutant, mutationSuite, type RecordedCase } from '../../support/mutation-suite.js';

const checker = CHECKERS.find((c) => c.name === 'linearizability') as CheckerDefinition;
const KV_LIST = kvWorkload.model as AnyModel<KvInput, string | null>;

let nextId = 0;

/** An operation invoked at `from` µs and completed at `to` (an `info` one never completes). */
function op(
  input: KvInput,
  outcome: OpOutcome,
  from: number,
  to: number,
  output?: string | null,
): Operation {
  return {
    id: nextId++,
    client: `c${nextId}`,
    f: input.f,
    input,
    output: input.f === 'get' ? output : undefined,
    invokeUs: from,
    completeUs: outcome === 'info' ? undefined : to,
    outcome,
    phase: 'faulty',
  };
}
const append = (key: string, value: string, outcome: OpOutcome, from: number, to: number) =>
  op({ f: 'append', key, value }, outcome, from, to);
const get = (key: string, output: string | null, from: number, to: number) =>
  op({ f: 'get', key }, 'ok', from, to, output);

interface Run {
  readonly history: History;
  readonly model: AnyModel;
}

const verdictOf = (r: Run): string =>
  (checker.check({ ...r } as unknown as RunRecord)[0] as { verdict: string }).verdict;

const kv = (history: History): Run => ({ history, model: KV_LIST });

const CASES: readonly RecordedCase<Run>[] = [
  {
    name: 'a read sees the append that completed before it',
    input: kv([append('k', 'a', 'ok', 0, 10), get('k', 'a', 20, 30)]),
    verdict: 'ok',
  },
  {
    name: 'a read misses an append that completed before it began',
    input: kv([append('k', 'a', 'ok', 0, 10), get('k', null, 20, 30)]),
    verdict: 'violation',
  },
  {
    name: 'a read sees an append whose outcome is unknown',
    input: kv([append('k', 'a', 'info', 0, 0), get('k', 'a', 20, 30)]),
    verdict: 'ok',
  },
  {
    name: 'an unknown append shows up only in a later read',
    input: kv([append('k', 'a', 'info', 0, 0), get('k', null, 20, 30), get('k', 'a', 40, 50)]),
    verdict: 'ok',
  },
  {
    name: 'a read sees two appends in order',
    input: kv([
      append('k', 'a', 'ok', 0, 10),
      append('k', 'b', 'ok', 20, 30),
      get('k', 'a b', 40, 50),
    ]),
    verdict: 'ok',
  },
  {
    name: 'each key read back on its own',
    input: kv([
      append('k0', 'a', 'ok', 0, 10),
      append('k1', 'b', 'ok', 20, 30),
      get('k0', 'a', 40, 50),
      get('k1', 'b', 40, 50),
    ]),
    verdict: 'ok',
  },
];

/**
 * The model with one rule changed, and without the optional shortcuts (pruning, monotone reads)
 * that are only sound for the real rule.
 */
const model = (r: Run, step: AnyModel['step'], extra: Partial<AnyModel> = {}): Run => {
  const { prune: _p, monotone: _m, mayHoldLater: _h, ...rest } = r.model;
  return { ...r, model: { ...rest, step, ...extra } };
};

/** The history with each operation rewritten (or dropped, for undefined). */
const history = (r: Run, f: (op: Operation) => Operation | undefined): Run => ({
  ...r,
  history: r.history.flatMap((op) => f(op) ?? []),
});

const MUTANTS: readonly Mutant<Run>[] = [
  {
    mistake: 'never compares what a read returned',
    judge: (r) =>
      verdictOf(
        model(r, (s, input, output, unknown) =>
          input.f === 'get' ? s : r.model.step(s, input, output, unknown),
        ),
      ),
  },
  {
    mistake: 'ignores real time (any sequential order will do)',
    judge: (r) => verdictOf(history(r, (op) => ({ ...op, invokeUs: 0, completeUs: 1_000_000 }))),
  },
  {
    mistake: 'drops operations of unknown outcome, as if they had failed',
    judge: (r) => verdictOf(history(r, (op) => (op.outcome === 'info' ? undefined : op))),
  },
  {
    mistake: 'closes an unknown write at once instead of leaving it open to the end',
    judge: (r) =>
      verdictOf(
        history(r, (op) =>
          op.outcome === 'info' ? { ...op, outcome: 'ok', completeUs: op.invokeUs + 1 } : op,
        ),
      ),
  },
  {
    mistake: 'applies an append as a put',
    judge: (r) =>
      verdictOf(
        model(r, (s, input, output, unknown) =>
          input.f === 'append' ? input.value : r.model.step(s, input, output, unknown),
        ),
      ),
  },
  {
    mistake: 'keeps one state for every key',
    judge: (r) => verdictOf(model(r, r.model.step, { partition: () => 'all' })),
  },
];

mutationSuite('the linearizability checker and its broken copies', verdictOf, CASES, MUTANTS);
