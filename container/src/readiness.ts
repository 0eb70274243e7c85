import { stripAnsi } from './ansi'
import type { Clock, Timer } from './clock'
import type { PortProbe } from './port-probe'
import type { ProcessSpec } from './protocol'

/**
 * What common dev servers print once they serve: Vite ("Local:   http://…", "ready in 300 ms"),
 * Next.js ("Ready in 2.1s", "started server on"), Express and friends ("listening on …").
 */
export const DEFAULT_READY_PATTERN =
  /\bLocal:\s+https?:\/\/|\bready in \d|\bstarted server on\b|\blistening (?:on|at)\b|\bserver (?:is )?(?:running|listening|started|ready) (?:on|at)\b|\bready on https?:\/\//i

/** The spec's pattern (case-insensitive), the defaults when it names none, or null when disabled. */
export function readyPatternFor(spec: ProcessSpec): RegExp | null {
  if (spec.readyPattern === null) return null
  return spec.readyPattern === undefined ? DEFAULT_READY_PATTERN : new RegExp(spec.readyPattern, 'i')
}

export type ReadySignal = { via: 'port'; port: number } | { via: 'pattern'; line: string }

export interface ReadinessOptions {
  clock: Clock
  probe: PortProbe
  port: number | undefined
  pattern: RegExp | null
  pollIntervalMs: number
  probeTimeoutMs: number
  onReady: (signal: ReadySignal) => void
}

/**
 * Waits for the first readiness signal of one run: the port answering (polled) or an output line
 * matching the pattern. Fires onReady once, then stops by itself.
 */
export class ReadinessWatcher {
  private done = false
  private timer: Timer | null = null

  constructor(private readonly options: ReadinessOptions) {}

  start(): void {
    if (this.options.port !== undefined) this.schedulePoll()
  }

  line(text: string): void {
    if (this.done || !this.options.pattern) return
    const plain = stripAnsi(text)
    if (this.options.pattern.test(plain)) this.ready({ via: 'pattern', line: plain })
  }

  stop(): void {
    this.done = true
    this.timer?.cancel()
    this.timer = null
  }

  private schedulePoll(): void {
    this.timer = this.options.clock.setTimer(this.options.pollIntervalMs, () => {
      this.timer = null
      const port = this.options.port!
      void this.options.probe(port, this.options.probeTimeoutMs).then((open) => {
        if (this.done) return
        if (open) this.ready({ via: 'port', port })
        else this.schedulePoll()
      })
    })
  }

  private ready(signal: ReadySignal): void {
    this.stop()
    this.options.onReady(signal)
  }
}
