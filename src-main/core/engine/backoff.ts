export interface Backoff {
  initialMs: number
  maxMs: number
  factor: number
  /** 0..1: each delay is spread by up to ±jitter of itself, so many clients do not retry in lockstep. */
  jitter: number
}

export const DEFAULT_BACKOFF: Backoff = { initialMs: 500, maxMs: 15_000, factor: 2, jitter: 0.2 }

/** The wait before retry number `attempt` (0 for the first): exponential, capped at maxMs, jittered. */
export function backoffDelay(attempt: number, backoff: Backoff, random: () => number = Math.random): number {
  const nominal = Math.min(backoff.maxMs, backoff.initialMs * backoff.factor ** attempt)
  const spread = nominal * backoff.jitter * (2 * random() - 1)
  return Math.round(Math.min(backoff.maxMs, nominal + spread))
}
