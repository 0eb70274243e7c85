import type Dockerode from 'dockerode'
import { ProcessStatus } from '../../../container/src/control-protocol'
import { followEngineEvents, unlessMissing, type EngineEventSubscription, type EventsConnection } from '../engine'
import { execInContainer } from './container-exec'

export interface IdleStopDeps {
  instanceId: string
  engine: <T>(work: (docker: Dockerode) => Promise<T>) => Promise<T>
  events: () => EventsConnection
  /** The `workspaces.idleStopMinutes` setting; 0: off. */
  idleStopMinutes: () => number
  /** Workspaces whose create finished, with their containers and their own idle stop (null: the setting's; 0: never). */
  workspaces: () => Array<{ name: string; containerId: string; idleStopMinutes: number | null }>
  /** Whether a window or browser tab shows one of its terminals now. */
  attached: (name: string) => boolean
  stop: (name: string) => Promise<unknown>
  /** After an idle stop: its history entry, the window's refresh. */
  onStopped: (name: string, containerId: string, idleMs: number) => void
  onProblem?: (message: string) => void
  checkEveryMs?: number
  /** How long a minute is, in ms: tests shorten it so an idle stop comes in seconds. */
  minuteMs?: number
  now?: () => number
}

const DEFAULT_CHECK_MS = 60_000
const MINUTE_MS = 60_000

/** Execs Sandlot runs for itself are no use of a workspace: monitor-cli (status looks, the image's HEALTHCHECK). */
export function isOwnExec(action: string): boolean {
  return /^exec_start: (?:\/bin\/(?:ba)?sh -c )?monitor-cli\b/.test(action)
}

/**
 * Idle stop (long-lived processes): a running workspace with no terminal attached, no preview request and no exec
 * for the configured time is stopped. Execs are seen in the engine's events (from any process: `sandlot exec`,
 * shells, terminals), preview requests in the monitor's status (its last accepted connection), the running time
 * from the container's start. The app resumes at the next start, as after any stop.
 */
export class IdleStopper {
  readonly #deps: IdleStopDeps
  /** The last exec start seen per container, in ms. */
  readonly #lastExec = new Map<string, number>()
  #events: EngineEventSubscription | undefined
  #timer: NodeJS.Timeout | undefined
  #checking = false

  constructor(deps: IdleStopDeps) {
    this.#deps = deps
  }

  /** Follows exec starts and checks now and then; the events are followed before the first check. */
  async start(): Promise<void> {
    this.#events = followEngineEvents(this.#deps.events(), { filters: { type: ['container'], event: ['exec_start'], label: [`dev.sandlot.instance=${this.#deps.instanceId}`] } }, (event) => {
      if (!isOwnExec(event.action)) this.#lastExec.set(event.id, this.#now())
    })
    await this.#events.opened
    this.#timer = setInterval(() => void this.check(), this.#deps.checkEveryMs ?? DEFAULT_CHECK_MS)
    this.#timer.unref()
  }

  stop(): void {
    clearInterval(this.#timer)
    this.#events?.close()
  }

  /** One pass: stops each running workspace idle for its configured time; returns the names it stopped. */
  async check(): Promise<string[]> {
    if (this.#checking) return []
    this.#checking = true
    const setting = this.#deps.idleStopMinutes()
    const stopped: string[] = []
    try {
      for (const { name, containerId, idleStopMinutes } of this.#deps.workspaces()) {
        // A workspace's own time wins over the setting, its 0 too (never stopped while the setting is on).
        const idleMs = (idleStopMinutes ?? setting) * (this.#deps.minuteMs ?? MINUTE_MS)
        if (idleMs <= 0) continue
        try {
          if (await this.#idle(name, containerId, idleMs)) {
            await this.#deps.stop(name)
            this.#deps.onStopped(name, containerId, idleMs)
            stopped.push(name)
          }
        } catch (err) {
          this.#deps.onProblem?.(`Idle stop of ${name}: ${(err as Error).message}`)
        }
      }
    } finally {
      this.#checking = false
    }
    return stopped
  }

  async #idle(name: string, containerId: string, idleMs: number): Promise<boolean> {
    if (this.#deps.attached(name)) return false
    const info = await this.#deps.engine((docker) => unlessMissing(docker.getContainer(containerId).inspect()))
    if (!info?.State.Running) return false
    const preview = await this.#previewUse(containerId)
    if (preview.open) return false
    const last = Math.max(Date.parse(info.State.StartedAt), this.#lastExec.get(containerId) ?? 0, preview.last ?? 0)
    return this.#now() - last >= idleMs
  }

  /** The preview's open connections and last accepted one, as the monitor says; nothing known counts as unused. */
  async #previewUse(containerId: string): Promise<{ open: boolean; last: number | null }> {
    const result = await this.#deps.engine((docker) => execInContainer(docker.getContainer(containerId), ['monitor-cli', 'process', 'status', '--json'], { user: 'monitor' }))
    if (result.exitCode !== 0) return { open: false, last: null }
    const status = ProcessStatus.safeParse(JSON.parse(result.stdout))
    const preview = status.success ? status.data.preview : undefined
    const at = preview?.lastConnectionAt
    return { open: (preview?.connections ?? 0) > 0, last: at ? Date.parse(at) : null }
  }

  #now(): number {
    return (this.#deps.now ?? Date.now)()
  }
}
