import type { SandlotCore } from '../../src-main/core/sandlot-core'
import { idleStopRow } from '../../src-main/core/history/record-rows'
import { IdleStopper } from '../../src-main/core/workspaces/idle-stop'

/**
 * The core's idle stop with minutes of `minuteMs` (so an idle stop comes in seconds), looking only at the named
 * workspace (the others of a test file are not the subject), reading its own idle stop from the database at each
 * check as the app's does. Checked when the test says (`check()`), not on a timer.
 */
export async function fastIdleStopper(core: SandlotCore, name: string, options: { minuteMs: number; settingMinutes: number }): Promise<IdleStopper> {
  const stopper = new IdleStopper({
    instanceId: core.instanceId,
    engine: (work) => core.engine.use(work),
    events: () => core.engine.connection,
    idleStopMinutes: () => options.settingMinutes,
    minuteMs: options.minuteMs,
    workspaces: () => core.workspaces.madeContainers().filter((w) => w.name === name),
    attached: (n) => core.terminals.attachedTo(n),
    stop: (n) => core.workspaces.stop(n),
    onStopped: (n, containerId, ms) => core.history.recordHostEvent(n, containerId, idleStopRow(ms)),
    checkEveryMs: 3_600_000
  })
  await stopper.start()
  return stopper
}
