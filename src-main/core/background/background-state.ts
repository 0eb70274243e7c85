import type { BackgroundProblem, BackgroundStatus, ImageBackground, ImageStatus, PoolBackground, TaskProgress } from '../contract'
import { OFFLINE_HINT } from '../images/core-image'
import { SandlotError } from '../sandlot-error'

export interface BackgroundStateDeps {
  /** Every change, for the `system.background` event. */
  onChange: (status: BackgroundStatus) => void
  /** A new problem, or one gone: once per cause, never at every retry. */
  report: (message: string) => void
  now?: () => Date
}

type ProblemInput = { message: string; hint?: string | undefined }

/**
 * What the core's background work knows about the core image and the pool, kept between ticks so that a
 * cause is reported once, with the time it was first seen, and its end is reported too.
 */
export class BackgroundState {
  readonly #deps: BackgroundStateDeps
  #image: ImageBackground = { state: 'checking' }
  #pool: PoolBackground = { state: 'checking', target: 0, warm: 0 }

  constructor(deps: BackgroundStateDeps) {
    this.#deps = deps
  }

  get status(): BackgroundStatus {
    return { image: this.#image, pool: this.#pool }
  }

  /** A look at the image: a failed build of the same base stays failed until the image exists. */
  imageChecked(status: ImageStatus): void {
    if (this.#image.state === 'building') return
    if (status.present) return this.#setImage({ state: 'built', base: status.base, tag: status.tag })
    if (this.#image.state === 'failed' && this.#image.base === status.base) return
    this.#setImage({ state: 'missing', base: status.base, tag: status.tag })
  }

  buildStarted(base: string): void {
    this.#setImage({ state: 'building', base })
  }

  buildProgress(progress: TaskProgress): void {
    if (this.#image.state === 'building') this.#setImage({ ...this.#image, progress })
  }

  buildEnded(base: string, result: { tag: string } | { error: unknown }): void {
    if ('tag' in result) return this.#setImage({ state: 'built', base, tag: result.tag })
    this.#setImage({ state: 'failed', base, problem: this.#problem(this.#image.problem, problemOf(result.error)) })
  }

  /** The pool when its image is not built: it waits for a build, or cannot get one without a base image. */
  poolWithoutImage(target: number, status: ImageStatus): void {
    if (target === 0) return this.#setPool({ state: 'off', target, warm: 0 })
    if (status.baseId === undefined) {
      return this.#poolFailing(target, 0, {
        message: `The pool cannot warm containers: the core image is not built, and its base image ${status.base} is not on the engine.`,
        hint: `The first create pulls it if a registry has it. ${OFFLINE_HINT}`
      })
    }
    this.#setPool({ state: 'waiting', target, warm: 0, note: 'Waits for the core image: the first create builds it, or `sandlot image build`.' })
  }

  poolFilled(target: number, warm: number): void {
    this.#setPool(target === 0 ? { state: 'off', target, warm } : { state: 'ready', target, warm })
  }

  poolFailed(target: number, warm: number, error: unknown): void {
    this.#poolFailing(target, warm, problemOf(error, 'Filling the workspace pool failed: '))
  }

  #poolFailing(target: number, warm: number, input: ProblemInput): void {
    this.#setPool({ state: 'failing', target, warm, problem: this.#problem(this.#pool.problem, input) })
  }

  /** Keeps the first-seen time while the same message repeats. */
  #problem(previous: BackgroundProblem | undefined, input: ProblemInput): BackgroundProblem {
    const since = previous?.message === input.message ? previous.since : (this.#deps.now?.() ?? new Date()).toISOString()
    return input.hint === undefined ? { message: input.message, since } : { message: input.message, hint: input.hint, since }
  }

  #setImage(next: ImageBackground): void {
    const previous = this.#image
    this.#image = next
    this.#announce(previous.problem, next.problem, () =>
      next.state === 'built' ? `The core image recovered: ${next.tag} is built.` : `The core image's last failure no longer applies: its base is now ${next.base}.`)
    if (JSON.stringify(previous) !== JSON.stringify(next)) this.#deps.onChange(this.status)
  }

  #setPool(next: PoolBackground): void {
    const previous = this.#pool
    this.#pool = next
    this.#announce(previous.problem, next.problem, () => `The workspace pool recovered: ${next.warm} of ${next.target} warm.`)
    if (JSON.stringify(previous) !== JSON.stringify(next)) this.#deps.onChange(this.status)
  }

  #announce(before: BackgroundProblem | undefined, after: BackgroundProblem | undefined, recovered: () => string): void {
    if (after !== undefined && after.message !== before?.message) this.#deps.report(after.hint === undefined ? after.message : `${after.message}\n  ${after.hint}`)
    else if (after === undefined && before !== undefined) this.#deps.report(recovered())
  }
}

function problemOf(error: unknown, prefix = ''): ProblemInput {
  const message = `${prefix}${error instanceof Error ? error.message : String(error)}`
  return error instanceof SandlotError && error.hint !== undefined ? { message, hint: error.hint } : { message }
}
