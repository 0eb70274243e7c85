/**
 * Reads the engine's build (and pull) output stream: one JSON object per line, `{"stream":…}`,
 * `{"status":…,"progress":…}`, `{"aux":{"ID":…}}` or `{"error":…}`. Turns it into progress and keeps a tail
 * of the output, so a failed build can show the user what went wrong.
 */
export interface BuildOutputState {
  step: number
  totalSteps: number
  tail: string[]
  imageId: string | undefined
  error: string | undefined
}

const TAIL_LINES = 30
const STEP = /^Step (\d+)\/(\d+) : (.*)$/

export function newBuildOutput(): BuildOutputState {
  return { step: 0, totalSteps: 0, tail: [], imageId: undefined, error: undefined }
}

/** Applies one decoded message; returns a progress line when the message is worth showing. */
export function applyBuildMessage(state: BuildOutputState, message: unknown): { fraction?: number; message: string } | undefined {
  if (typeof message !== 'object' || message === null) return undefined
  const m = message as { stream?: unknown; status?: unknown; progress?: unknown; id?: unknown; error?: unknown; errorDetail?: { message?: unknown }; aux?: { ID?: unknown } }
  if (typeof m.error === 'string') {
    state.error = typeof m.errorDetail?.message === 'string' ? m.errorDetail.message : m.error
    return undefined
  }
  if (typeof m.aux?.ID === 'string') state.imageId = m.aux.ID
  if (typeof m.stream === 'string') {
    const lines = m.stream.split('\n').map((l) => l.trimEnd()).filter(Boolean)
    let shown: { fraction?: number; message: string } | undefined
    for (const line of lines) {
      remember(state, line)
      const step = STEP.exec(line)
      if (step) {
        state.step = Number(step[1])
        state.totalSteps = Number(step[2])
        shown = { fraction: (state.step - 1) / state.totalSteps, message: `Step ${state.step}/${state.totalSteps}: ${step[3]}` }
      }
    }
    return shown
  }
  if (typeof m.status === 'string') {
    const line = [m.id, m.status, m.progress].filter((p) => typeof p === 'string' && p).join(' ')
    remember(state, line)
    return { message: line }
  }
  return undefined
}

function remember(state: BuildOutputState, line: string): void {
  state.tail.push(line)
  if (state.tail.length > TAIL_LINES) state.tail.shift()
}
