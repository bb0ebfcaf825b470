/**
 * Pause and resume, like SIGSTOP and SIGCONT: the node keeps its state, but every event meant for
 * it (messages, timers, disk completions) is held until it resumes, then runs in arrival order.
 * The rest of the cluster sees a node that stopped answering, then one that acts on old beliefs.
 */
import { processFault } from './process-fault.js';

export const pauseFault = processFault({
  down: 'pause',
  up: 'resume',
  summary: 'freeze a node (SIGSTOP): its events are held until resume, then run in arrival order',
  downDoc:
    'pause a node (it keeps its state), or a fault domain ({ zone: z1 }, { rack: r1 }); with for, resume it after',
  upDoc: 'resume a paused node (or every paused node of a zone or rack)',
  nemesisDoc: 'pause a node, resume it after for',
  takeDown: (host, node) => host.pause(node),
  bringBack: (host, node) => host.resume(node),
  downStatus: 'paused',
});
