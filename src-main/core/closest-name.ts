/**
 * Suggestions for a mistyped name (a workspace, a template, a setting): plain code, safe for the renderer.
 */

/** The candidate within a few edits of the input (Levenshtein distance), if any is close enough to be the one meant. */
export function closest(input: string, candidates: readonly string[]): string | undefined {
  let best: { candidate: string; distance: number } | undefined
  for (const candidate of candidates) {
    const distance = editDistance(input.toLowerCase(), candidate.toLowerCase())
    if (best === undefined || distance < best.distance) best = { candidate, distance }
  }
  if (best === undefined) return undefined
  return best.distance <= Math.max(2, Math.floor(best.candidate.length / 3)) ? best.candidate : undefined
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i)
  for (let i = 1; i <= a.length; i++) {
    const current = [i]
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1))
    }
    previous = current
  }
  return previous[b.length]!
}

/** ` Did you mean web?` for a hint, or nothing. */
export function didYouMean(input: string, candidates: readonly string[]): string {
  const near = closest(input, candidates)
  return near === undefined ? '' : ` Did you mean ${near}?`
}
