/**
 * The importers' outputs are what the models read: checked by the compiler (the assignments
 * below) and on a small etcd history run through the `cas-register` model step by step.
 */
import { describe, expect, it } from 'vitest';
import {
  type CasInput,
  type CasOutput,
  type KvLinInput,
  type KvLinOutput,
  parseEdnHistory,
  parseJepsenEtcd,
} from '../../../../../src/checkers/linearizability/formats/index.js';
import {
  type CasRegisterState,
  casRegisterModel,
  type KvListState,
  kvListModel,
  kvModel,
} from '../../../../../src/checkers/linearizability/models/index.js';
import type { Model } from '../../../../../src/checkers/linearizability/types.js';
import type { KvInput, KvOutput } from '../../../../../src/core/history.js';
import { opsOf } from './helpers.js';

const casModel: Model<CasRegisterState, CasInput, CasOutput> = casRegisterModel;
const porcupineKv: Model<string, KvLinInput, KvLinOutput> = kvModel;
const faultlineKv: Model<KvListState, KvInput, KvOutput> = kvListModel;

/** Applies operations in the given order; undefined as soon as one is illegal. */
function replay(
  ops: readonly { input: CasInput; output: CasOutput; unknown: boolean }[],
): CasRegisterState | undefined {
  let state: CasRegisterState | undefined = casModel.init();
  for (const op of ops) {
    state = casModel.step(state, op.input, op.output, op.unknown);
    if (state === undefined) return undefined;
  }
  return state;
}

describe('importer outputs fit the models', () => {
  it('compiles against kv, kv-list and cas-register', () => {
    expect([porcupineKv.name, faultlineKv.name, casModel.name]).toEqual([
      'kv',
      'kv-list',
      'cas-register',
    ]);
  });

  it('etcd: a failed cas asserts the register did not hold `from`', () => {
    const log = (...l: string[]) => l.map((x) => `INFO  jepsen.util - ${x}\n`).join('');
    const legal = opsOf(
      parseJepsenEtcd(
        log(
          '0 :invoke :write 1',
          '0 :ok :write 1',
          '0 :invoke :cas [2 3]',
          '0 :fail :cas [2 3]',
          '0 :invoke :cas [1 4]',
          '0 :ok :cas [1 4]',
          '0 :invoke :read nil',
          '0 :ok :read 4',
        ),
      ),
    );
    expect(replay(legal)).toBe(4);
    const illegal = opsOf(
      parseJepsenEtcd(
        log('0 :invoke :write 1', '0 :ok :write 1', '0 :invoke :cas [1 3]', '0 :fail :cas [1 3]'),
      ),
    );
    expect(replay(illegal)).toBeUndefined();
  });

  it('edn: a failed cas is gone, so the same lines are legal', () => {
    const edn =
      '{:process 0, :type :invoke, :f :write, :value 1}\n{:process 0, :type :ok, :f :write, :value 1}\n{:process 0, :type :invoke, :f :cas, :value [1 3]}\n{:process 0, :type :fail, :f :cas, :value [1 3]}\n';
    expect(replay(opsOf(parseEdnHistory(edn)))).toBe(1);
  });
});
