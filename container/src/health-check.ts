import type { Clock, Timer } from './clock'
import type { PortProbe } from './port-probe'

export interface HealthCheckOptions {
  clock: Clock
  probe: PortProbe
  port: number
  intervalMs: number
  timeoutMs: number
  failureThreshold: number
  /** Every failed check, and the first success after failures. */
  onChange: (ok: boolean, consecutiveFailures: number) => void
  /** Once, when `failureThreshold` checks in a row failed; checking stops then. */
  onUnhealthy: (consecutiveFailures: number) => void
}

/** Periodic port checks of a ready app. */
export class HealthChecker {
  private timer: Timer | null = null
  private stopped = false
  private failures = 0
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
      if (this.failures > 0) {
        this.failures = 0
        this.options.onChange(true, 0)
      }
    } else {
      this.failures++
      this.options.onChange(false, this.failures)
      if (this.failures >= this.options.failureThreshold) {
        this.stop()
        this.options.onUnhealthy(this.failures)
        return
      }
    }
    this.schedule()
  }
}
