import type { Random } from './clock'
import type { RestartPolicy } from './protocol'

export type RestartDecision =
  | { restart: true; attempt: number; delayMs: number }
  | { restart: false; reason: string }

/**
 * Decides whether and when an app that ended unexpectedly restarts: exponential backoff with
 * jitter, at most `maxRestarts` within a sliding `windowMs`, and a stable run (`stableAfterMs`)
 * that resets the backoff. Pure apart from the injected random source.
 */
export class RestartTracker {
  private attempt = 0
  private restartTimes: number[] = []

  constructor(
    private readonly policy: RestartPolicy,
    private readonly random: Random
  ) {}

  /** `cause` explains the end of the run ("exited with code 1") for the reason of a give-up. */
  next(now: number, uptimeMs: number, cause: string): RestartDecision {
    if (this.policy.policy === 'never') return { restart: false, reason: `${cause}; restart policy is "never"` }
    if (uptimeMs >= this.policy.stableAfterMs) this.attempt = 0
    const inWindow = this.inWindow(now)
    if (inWindow >= this.policy.maxRestarts) {
      return {
        restart: false,
        reason: `gave up after ${inWindow} restart${inWindow === 1 ? '' : 's'} within ${formatSeconds(this.policy.windowMs)}: ${cause}`
      }
    }
    this.attempt++
    this.restartTimes.push(now)
    return { restart: true, attempt: this.attempt, delayMs: this.delay(this.attempt) }
  }

  /** Restarts within the window ending now. */
  inWindow(now: number): number {
    this.restartTimes = this.restartTimes.filter((t) => t > now - this.policy.windowMs)
    return this.restartTimes.length
  }

  /** Position in the current backoff streak (0 after a reset). */
  get currentAttempt(): number {
    return this.attempt
  }

  private delay(attempt: number): number {
    const { initialDelayMs, factor, maxDelayMs, jitter } = this.policy
    const base = Math.min(maxDelayMs, initialDelayMs * factor ** (attempt - 1))
    const scaled = base * (1 + jitter * (2 * this.random() - 1))
    return Math.round(Math.min(maxDelayMs, Math.max(0, scaled)))
  }
}

function formatSeconds(ms: number): string {
  return `${Math.round(ms / 100) / 10}s`
}
