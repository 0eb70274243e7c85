import type { Clock, Timer } from './clock'
import type { PortProbe } from './port-probe'

export interface HealthCheckOptions {
  clock: Clock
  probe: PortProbe
  port: number
  intervalMs: number
  timeoutMs: number
  /** Failed checks in a row that make the app unhealthy. */
  failureThreshold: number
  /** Failed checks in a row after which the app should be restarted (checking stops then); null: never. */
  restartAfterFailures: number | null
  /** Once per streak of failures, when it reaches `failureThreshold`. */
  onUnhealthy: (consecutiveFailures: number) => void
  /** The first success after `onUnhealthy`. */
  onRecovered: () => void
  /** Once, when the streak reaches `restartAfterFailures`; checking stops then. */
  onRestartDue: (consecutiveFailures: number) => void
}

/**
 * Periodic port checks of a ready app: it turns unhealthy when its port stops answering and recovers when it
 * answers. Only those turns are reported (a check runs every few seconds for as long as the app lives: one
 * report per check would flood the history); the running count is read from `consecutiveFailures`.
 */
export class HealthChecker {
  private timer: Timer | null = null
  private stopped = false
  private failures = 0
  private unhealthy = false
  private lastCheck: number | null = null

  constructor(private readonly options: HealthCheckOptions) {}

  get consecutiveFailures(): number {
    return this.failures
  }

  get lastCheckAt(): number | null {
    return this.lastCheck
  }

  start(): void {
    this.schedule()
  }

  stop(): void {
    this.stopped = true
    this.timer?.cancel()
    this.timer = null
  }

  private schedule(): void {
    this.timer = this.options.clock.setTimer(this.options.intervalMs, () => {
      this.timer = null
      void this.options.probe(this.options.port, this.options.timeoutMs).then((ok) => this.result(ok))
    })
  }

  private result(ok: boolean): void {
    if (this.stopped) return
    this.lastCheck = this.options.clock.now()
    if (ok) {
      this.failures = 0
      if (this.unhealthy) {
        this.unhealthy = false
        this.options.onRecovered()
      }
    } else {
      this.failures++
      if (!this.unhealthy && this.failures >= this.options.failureThreshold) {
        this.unhealthy = true
        this.options.onUnhealthy(this.failures)
      }
      const restartAfter = this.options.restartAfterFailures
      if (restartAfter !== null && this.failures >= restartAfter) {
        this.stop()
        this.options.onRestartDue(this.failures)
        return
      }
    }
    this.schedule()
  }
}
