/**
 * `faultline replay <result.json>`: reruns the seed a report records, with the same bugs, and
 * confirms the trace hash matches. The scenario is found wherever the report is opened from
 * (cli/result-file.ts). A mismatch means the code or the scenario changed since the
 * report was written, or the simulator is nondeterministic: exit 70 either way, saying which.
 */
import type { Argv } from 'yargs';
import { runSeedAs } from '../../run/swarm.js';
import { c } from '../colors.js';
import { EXIT, EXIT_CODE_TABLE, UserError, exitCodeFor } from '../../runner/exit-codes.js';
import { runDetails, seedLine } from '../format.js';
import { readResult, scenarioOfResult } from '../result-file.js';
import { validateBugs } from '../../scenario/index.js';
import { loadScenario } from '../../runner/load-scenario.js';
import { summarizeResult } from '../../runner/seed-summary.js';

export interface ReplayArgs {
  result: string;
  json?: boolean;
}

export const replayBuilder = (y: Argv) =>
  y
    .positional('result', {
      type: 'string',
      demandOption: true,
      describe: 'a result.json written by `faultline run`',
    })
    .option('json', { type: 'boolean', describe: 'print one JSON document on stdout' })
    .example(
      '$0 replay reports/pb-async-crash/3/result.json',
      'rerun seed 3 and compare its trace hash',
    )
    .epilogue(EXIT_CODE_TABLE);

export async function replayCommand(args: ReplayArgs): Promise<number> {
  const recorded = readResult(args.result);
  const { scenario } = await loadScenario(
    scenarioOfResult(args.result, recorded),
    recorded.options,
  );
  const bad = validateBugs(scenario, recorded.bugs);
  if (bad !== undefined) throw new UserError(`${args.result}: bugs: ${bad}`, EXIT.dataError);
  const out = args.json ? process.stderr : process.stdout;
  out.write(
    `seed=${recorded.seed} scenario=${scenario.file} protocol=${scenario.protocol.name}${recorded.bugs.map((b) => ` bug=${b}`).join('')}${(recorded.options ?? []).map((o) => ` option=${o}`).join('')}${recorded.swarm !== undefined ? ' swarm' : ''} (replay)\n`,
  );
  const changed = scenario.contentHash !== recorded.scenario.contentHash;
  // A swarm seed recomputes its swarm choice from the seed, as the sweep did.
  const { result } = runSeedAs(recorded.swarm !== undefined, scenario, recorded.seed, {
    bugs: recorded.bugs,
  });
  const same = result.traceHash === recorded.traceHash;
  if (args.json)
    process.stdout.write(
      `${JSON.stringify({ seed: recorded.seed, recordedTraceHash: recorded.traceHash, traceHash: result.traceHash, match: same, scenarioChanged: changed, verdict: result.verdict, recordedVerdict: recorded.verdict })}\n`,
    );
  if (!same) {
    const why = changed
      ? `the scenario file changed since the report was written (content hash ${recorded.scenario.contentHash} → ${scenario.contentHash})`
      : 'same scenario: the code changed or the simulator is nondeterministic';
    throw new UserError(
      `replay mismatch: trace hash ${result.traceHash}, recorded ${recorded.traceHash}; ${why}`,
      EXIT.internal,
    );
  }
  if (!args.json) {
    out.write(
      `${c().green('replay ok:')} trace hash ${result.traceHash} matches the report${changed ? ' (the scenario file was edited, but not in a way that changes this run)' : ''}\n`,
    );
    out.write(`${seedLine(summarizeResult(result))}\n`);
    for (const line of runDetails(result, scenario.checkers)) out.write(`  ${line}\n`);
  }
  return exitCodeFor([result.verdict]);
}
