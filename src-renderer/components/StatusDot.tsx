import type { Tone } from '../views/engine-status-model'

/** A small state light, next to text that says the state; `pending`, `warn` and `error` pulse gently. */
export function StatusDot({ tone }: { tone: Tone | 'warn' | 'idle' }) {
  return <span className={`status-dot status-dot--${tone}`} aria-hidden="true" />
}
