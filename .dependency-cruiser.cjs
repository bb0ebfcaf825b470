/**
 * The dependency direction of DESIGN §2, enforced on every import: static, `export … from`,
 * type-only and dynamic `import()`. Each layer names what it may import; anything else in src/ is
 * an error. `npm run deps` runs it; CI runs it on every change.
 *
 *   core                      nothing
 *   engine                    core
 *   net, disk                 core, engine
 *   sim                       core, engine, net, disk (protocols and fault kinds are passed in)
 *   options                   core (the value types scenario files are written in)
 *   checkers                  core
 *   components                core
 *   storage                   core, options (problem type), and the record log and WAL writer of
 *                             protocols/shared: the storage engine is a sans-IO component below
 *                             protocols, built on the shared WAL pieces
 *   protocols/shared's record
 *   log and WAL writer        core and each other only: storage imports them, so whatever they
 *                             imported would reach storage (a protocol piece through the back door)
 *
 * DESIGN §2 names the storage engine `components/lsm` and the failure detectors
 * `components/failure-detector`; they live in src/storage/lsm (layer `storage`, held to the
 * components rule and the WAL pieces above) and src/components/failure-detectors (layer
 * `components`). test/unit/architecture.test.ts runs the rules on fixtures that break each.
 *   protocols/<name>          core, options, components, storage, protocols/shared, another
 *                             protocol's public entry (index.ts) — never engine, net, disk or sim
 *   workloads                 core, options, checkers (a workload names its model)
 *   faults                    core, engine, net, disk, sim, options
 *   scenario                  the above, and the registries
 *   run                       the above, scenario
 *   fuzz                      the above, run
 *   runner                    everything but report, compare, cli and bench
 *   report                    the above but fuzz: reads what a run wrote, writes report.html
 *   report/page               only itself and report/report-model.ts: it runs in a browser,
 *                             bundled into the page, so it must not pull in Node or the simulator
 *   compare                   everything but report, cli and bench (lessons run through the runner)
 *   cli, bench                everything
 *   index.ts                  everything but cli and bench
 */
const layer = (name, from, allowed) => ({
  name,
  severity: 'error',
  comment: `${from} may import only ${allowed.join(', ')} (DESIGN §2)`,
  from: { path: from },
  to: { path: '^src/', pathNot: allowed.map((a) => `^src/${a}`) },
});

const below = ['core/', 'engine/', 'net/', 'disk/', 'sim/', 'options/', 'checkers/'];
const registries = ['protocols/', 'workloads/', 'faults/', 'components/'];

module.exports = {
  forbidden: [
    layer('core-imports-nothing', '^src/core/', ['core/']),
    layer('engine', '^src/engine/', ['core/', 'engine/']),
    layer('net', '^src/net/', ['core/', 'engine/', 'net/']),
    layer('disk', '^src/disk/', ['core/', 'engine/', 'disk/']),
    layer('sim', '^src/sim/', ['core/', 'engine/', 'net/', 'disk/', 'sim/']),
    layer('options', '^src/options/', ['core/', 'options/']),
    layer('checkers', '^src/checkers/', ['core/', 'checkers/']),
    layer('components', '^src/components/', ['core/', 'components/']),
    layer('storage', '^src/storage/', [
      'core/',
      'options/problem\\.ts$',
      'protocols/shared/(record-log|wal-writer)\\.ts$',
      'storage/',
    ]),
    layer('storage-wal-pieces', '^src/protocols/shared/(record-log|wal-writer)\\.ts$', [
      'core/',
      'protocols/shared/(record-log|wal-writer)\\.ts$',
    ]),
    layer('protocols-shared', '^src/protocols/shared/', [
      'core/',
      'options/',
      'components/',
      'protocols/shared/',
    ]),
    {
      name: 'protocols',
      severity: 'error',
      comment:
        "a protocol may import core, options, components, storage, protocols/shared, its own folder and another protocol's index.ts (DESIGN §2)",
      from: { path: '^src/protocols/([^/]+)/' },
      to: {
        path: '^src/',
        pathNot: [
          '^src/core/',
          '^src/options/',
          '^src/components/',
          '^src/storage/',
          '^src/protocols/shared/',
          '^src/protocols/$1/',
          '^src/protocols/[^/]+/index\\.ts$',
        ],
      },
    },
    layer('protocol-registry', '^src/protocols/registry\\.ts$', [
      'core/',
      'protocols/[^/]+/index\\.ts$',
    ]),
    layer('workloads', '^src/workloads/', ['core/', 'options/', 'checkers/', 'workloads/']),
    layer('faults', '^src/faults/', [
      'core/',
      'engine/',
      'net/',
      'disk/',
      'sim/',
      'options/',
      'faults/',
    ]),
    layer('scenario', '^src/scenario/', [...below, ...registries, 'scenario/']),
    layer('run', '^src/run/', [...below, ...registries, 'scenario/', 'run/']),
    layer('fuzz', '^src/fuzz/', [...below, ...registries, 'scenario/', 'run/', 'fuzz/']),
    layer('runner', '^src/runner/', [
      ...below,
      ...registries,
      'scenario/',
      'run/',
      'fuzz/',
      'runner/',
    ]),
    layer('report-page', '^src/report/page/', ['report/page/', 'report/report-model\\.ts$']),
    {
      name: 'report',
      severity: 'error',
      comment: 'report may import the layers below it, scenario, run and runner (DESIGN §2)',
      from: { path: '^src/report/', pathNot: '^src/report/page/' },
      to: {
        path: '^src/',
        pathNot: [...below, ...registries, 'scenario/', 'run/', 'runner/', 'report/'].map(
          (a) => `^src/${a}`,
        ),
      },
    },
    layer('compare', '^src/compare/', [
      ...below,
      ...registries,
      'scenario/',
      'run/',
      'fuzz/',
      'runner/',
      'compare/',
    ]),
    layer('public-entry', '^src/index\\.ts$', [
      ...below,
      ...registries,
      'scenario/',
      'run/',
      'fuzz/',
      'runner/',
    ]),
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'import cycles make a layer impossible to read on its own',
      from: { path: '^src/' },
      to: { circular: true },
    },
    {
      name: 'not-to-unresolvable',
      severity: 'error',
      comment: 'an import that resolves to nothing is a typo or a missing package',
      from: { path: '^(src|test|scripts)/' },
      to: { couldNotResolve: true },
    },
    {
      name: 'src-not-to-tests',
      severity: 'error',
      comment: 'the package must not depend on its tests or scripts',
      from: { path: '^src/' },
      to: { path: '^(test|scripts)/' },
    },
  ],
  options: {
    parser: 'swc',
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(dist|reports)/' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['types', 'import', 'require', 'node', 'default'],
      mainFields: ['types', 'module', 'main'],
    },
  },
};
