/** What the output box needs of its line elements. */
export interface LineBox {
  offsetTop: number
  offsetHeight: number
}

/** The line at the top of the view (by its number since the first line ever) and how far the view is scrolled into it. */
export interface ScrollAnchor {
  line: number
  into: number
}

/** The topmost line still in view; `start` is the number of the first line shown (older ones were dropped). */
export function topLine(lines: ArrayLike<LineBox>, scrollTop: number, start: number): ScrollAnchor | undefined {
  for (let i = 0; i < lines.length; i++) {
    const box = lines[i]!
    if (box.offsetTop + box.offsetHeight > scrollTop) return { line: start + i, into: scrollTop - box.offsetTop }
  }
  return undefined
}

/**
 * Where to scroll so the anchored line stays where the reader had it, after lines were dropped above it (their
 * height would otherwise pull the text up); the top when the line itself was dropped.
 */
export function anchoredScrollTop(lines: ArrayLike<LineBox>, anchor: ScrollAnchor, start: number): number {
  const box = lines[anchor.line - start]
  return anchor.line < start || box === undefined ? 0 : box.offsetTop + anchor.into
}
