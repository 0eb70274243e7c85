/**
 * Browsers keep about 16 WebGL contexts per page and drop the oldest past that. Terminals take at most this
 * many; the rest (and any that lose theirs) draw with xterm's DOM renderer. `localStorage['sandlot.terminal.webgl']
 * = 'off'` turns WebGL off in that browser (a GPU that draws wrongly; tests that read the DOM rows).
 */
const MAX_CONTEXTS = 12

let inUse = 0
let supported: boolean | undefined

export const WEBGL_SWITCH = 'sandlot.terminal.webgl'

export function reserveWebgl(): boolean {
  supported ??= readSwitch() !== 'off' && hasWebgl2()
  if (!supported || inUse >= MAX_CONTEXTS) return false
  inUse += 1
  return true
}

export function releaseWebgl(): void {
  inUse = Math.max(0, inUse - 1)
}

function hasWebgl2(): boolean {
  try {
    const canvas = document.createElement('canvas')
    const gl = canvas.getContext('webgl2')
    gl?.getExtension('WEBGL_lose_context')?.loseContext()
    return gl !== null
  } catch {
    return false
  }
}

function readSwitch(): string | null {
  try {
    return window.localStorage.getItem(WEBGL_SWITCH)
  } catch {
    return null
  }
}
