/**
 * Browsers keep about 16 WebGL contexts per page and drop the oldest past that. Terminals take at most this
 * many; the rest (and any that lose theirs) draw with xterm's DOM renderer.
 */
const MAX_CONTEXTS = 12

let inUse = 0
let supported: boolean | undefined

export function reserveWebgl(): boolean {
  supported ??= hasWebgl2()
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
