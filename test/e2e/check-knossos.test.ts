/**
 * `faultline check` on Knossos's own histories as a user would run them, with the model and
 * initial state the conformance README gives (the unit conformance test covers every file).
 */
import { describe, expect, it } from 'vitest';
import { faultline, show } from './cli.js';

const K = '../shared/conformance/knossos';

describe('faultline check on Knossos histories', () => {
  it('cas-register with --initial 0: a bad history is NOT linearizable, with a sentence', async () => {
    const r = await faultline([
      'check',
      '--model',
      'cas-register',
      '--initial',
      '0',
      `${K}/cas-register/bad/cas-failure.edn`,
    ]);
    expect(r.code, show(r)).toBe(1);
    expect(r.stdout).toContain('NOT linearizable');
    expect(r.stdout).toContain('model cas-register --initial 0,');
  });

  it('a history wrapped in a list, with comments between operations', async () => {
    const r = await faultline([
      'check',
      '--model',
      'cas-register',
      '--initial',
      '0',
      `${K}/cas-register/bad/rethink-fail-minimal.edn`,
    ]);
    expect(r.code, show(r)).toBe(1);
  });

  it('multi-register with --initial {:x 0 :y 0}: linearizable', async () => {
    const r = await faultline([
      'check',
      '--model',
      'multi-register',
      '--initial',
      '{:x 0 :y 0}',
      `${K}/multi-register/good/multi-register.edn`,
    ]);
    expect(r.code, show(r)).toBe(0);
    expect(r.stdout).toContain('linearizable (');
  });

  it('mutex: the etcd lock history grants the lock twice', async () => {
    const r = await faultline(['check', '--model', 'mutex', `${K}/mutex/bad/etcd.edn`]);
    expect(r.code, show(r)).toBe(1);
  });

  it('--initial for a model without an initial state is a bad flag', async () => {
    const r = await faultline([
      'check',
      '--model',
      'mutex',
      '--initial',
      '0',
      `${K}/mutex/bad/etcd.edn`,
    ]);
    expect(r.code, show(r)).toBe(64);
    expect(r.stderr).toContain('--initial: model mutex has no initial state to set');
  });
});
