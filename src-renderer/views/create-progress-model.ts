import { CreatePhase, type CreateProgress, type TaskProgress } from '../../src-main/core/contract'
import { PHASE_HEADLINE } from './workspace-model'

const PHASES = CreatePhase.options

/** Where each phase starts on the bar, as the core reports it; events carry the exact fraction. */
const PHASE_START: Record<CreatePhase, number> = { claim: 0, inject: 0.2, install: 0.3, start: 0.8, ready: 1 }

const STEP_LABEL: Record<CreatePhase, string> = { claim: 'Container', inject: 'Files', install: 'Dependencies', start: 'App', ready: 'Ready' }

/** The output box keeps this many lines; the core's error hint has the install tail anyway. */
export const LOG_LINES = 200

/** One workspace's creation as its progress events told it so far. */
export interface CreateProgressState {
  phase: CreatePhase
  /** 0..1, never going back. */
  fraction: number
  message: string
  /** The fraction the last event carried (the bar may be ahead of it, see creep()). */
  reported?: number
  /** Events since the reported fraction last changed: install output lines, which nudge the bar along. */
  repeats: number
  /** The last LOG_LINES messages (install output, build steps), oldest first. */
  log: string[]
  /** How many older lines were dropped from the front of `log` (keys its lines, keeps a scrolled-back view still). */
  logStart: number
  /** The core image build or base pull that a first create waits for. */
  image?: TaskProgress
}

export const INITIAL_PROGRESS: CreateProgressState = { phase: 'claim', fraction: 0, message: 'Waiting for Sandlot…', repeats: 0, log: [], logStart: 0 }

/** The state after one progress event; an event of an earlier phase than the current one is stale and changes nothing. */
export function withCreateProgress(state: CreateProgressState, event: CreateProgress): CreateProgressState {
  if (PHASES.indexOf(event.phase) < PHASES.indexOf(state.phase)) return state
  const reported = event.fraction ?? PHASE_START[event.phase]
  const repeats = reported === state.reported && event.phase === state.phase ? state.repeats + 1 : 0
  return {
    phase: event.phase,
    fraction: Math.max(state.fraction, creep(event.phase, reported, repeats)),
    message: event.message,
    reported,
    repeats,
    ...appendLine(state, event.message),
    // The image is ready once the container phases begin.
    ...(event.phase === 'claim' && state.image ? { image: state.image } : {})
  }
}

export function withImageProgress(state: CreateProgressState, event: TaskProgress): CreateProgressState {
  return { ...state, image: event, ...appendLine(state, event.message) }
}

/**
 * A long phase reports the same fraction with every output line (an install prints hundreds): each line moves
 * the bar a little towards the next phase's start, never reaching it, so a working install never looks stuck.
 */
function creep(phase: CreatePhase, reported: number, repeats: number): number {
  const next = PHASES[PHASES.indexOf(phase) + 1]
  if (next === undefined || repeats === 0) return reported
  const room = Math.max(0, PHASE_START[next] - reported)
  return reported + room * 0.9 * (1 - Math.exp(-repeats / 40))
}

function appendLine({ log, logStart }: CreateProgressState, line: string): Pick<CreateProgressState, 'log' | 'logStart'> {
  if (log.at(-1) === line) return { log, logStart }
  const next = [...log, line]
  const drop = Math.max(0, next.length - LOG_LINES)
  return { log: drop === 0 ? next : next.slice(drop), logStart: logStart + drop }
}

export type StepState = 'done' | 'current' | 'pending' | 'failed'

export interface ProgressView {
  /** 0..100, whole numbers. */
  percent: number
  headline: string
  message: string
  steps: { phase: CreatePhase; label: string; state: StepState }[]
  /** The core image step a first create waits for, while it runs. */
  image?: { headline: string; message: string; percent?: number }
}

/**
 * The progress panel for one creation: the bar, the phase as a headline, the latest message, and the steps
 * this template goes through (`phases`: a template without install or start command skips those).
 */
export function progressView(state: CreateProgressState, outcome: 'running' | 'ready' | 'failed', phases: readonly CreatePhase[] = PHASES): ProgressView {
  const current = PHASES.indexOf(state.phase)
  const steps = phases.map((phase) => {
    const index = PHASES.indexOf(phase)
    let step: StepState = index < current ? 'done' : index === current ? 'current' : 'pending'
    if (outcome === 'ready') step = 'done'
    else if (outcome === 'failed' && index === current) step = 'failed'
    return { phase, label: STEP_LABEL[phase], state: step }
  })
  const fraction = outcome === 'ready' ? 1 : state.fraction
  const buildingImage = outcome === 'running' && state.phase === 'claim' && state.image !== undefined && state.image.fraction !== 1
  return {
    percent: Math.round(fraction * 100),
    headline: outcome === 'failed' ? 'Failed' : outcome === 'ready' ? PHASE_HEADLINE.ready : PHASE_HEADLINE[state.phase],
    message: state.message,
    steps,
    ...(buildingImage && state.image
      ? {
          image: {
            headline: state.image.task === 'image.pull' ? 'Downloading the base image (first time only)' : 'Building the core image (first time only)',
            message: state.image.message,
            ...(state.image.fraction === undefined ? {} : { percent: Math.round(state.image.fraction * 100) })
          }
        }
      : {})
  }
}

/** A creating workspace's line in the list: this window's own creation has live progress, any other its phase only. */
export function rowProgress(state: CreateProgressState | undefined, phase: CreatePhase): { percent?: number; headline: string; message?: string } {
  if (state === undefined) return { headline: PHASE_HEADLINE[phase] }
  const view = progressView(state, 'running')
  return view.image ?? view
}
