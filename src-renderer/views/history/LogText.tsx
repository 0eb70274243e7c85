import { memo, type CSSProperties } from 'react'
import { logSegments, type SegmentStyle } from './log-text'

/** A log line as React text: colours as classes and styles, matches as <mark>; never markup from the line. */
export const LogText = memo(function LogText({ line, matches }: { line: string; matches?: readonly (readonly [number, number])[] | undefined }) {
  return (
    <>
      {logSegments(line, matches).map((segment, index) => {
        const { className, style } = styleOf(segment.style)
        const text = className === undefined && style === undefined ? segment.text : (
          <span className={className} style={style}>
            {segment.text}
          </span>
        )
        return segment.mark ? <mark key={index}>{text}</mark> : <span key={index}>{text}</span>
      })}
    </>
  )
})

function styleOf(style: SegmentStyle | undefined): { className?: string; style?: CSSProperties } {
  if (style === undefined) return {}
  const fg = style.inverse ? style.bg : style.fg
  const bg = style.inverse ? (style.fg ?? 'fg') : style.bg
  const classes = [
    typeof fg === 'number' ? `ansi-fg-${fg}` : undefined,
    typeof bg === 'number' ? `ansi-bg-${bg}` : bg === 'fg' ? 'ansi-bg-text' : undefined,
    style.inverse && fg === undefined ? 'ansi-fg-inverse' : undefined,
    style.bold ? 'ansi-bold' : undefined,
    style.dim ? 'ansi-dim' : undefined,
    style.italic ? 'ansi-italic' : undefined,
    style.underline ? 'ansi-underline' : undefined
  ].filter((c) => c !== undefined)
  const css: CSSProperties = {}
  // Exact colours come from applySgr as `rgb(r g b)` built from numbers only.
  if (typeof fg === 'string') css.color = fg
  if (typeof bg === 'string' && bg !== 'fg') css.backgroundColor = bg
  return { ...(classes.length > 0 ? { className: classes.join(' ') } : {}), ...(Object.keys(css).length > 0 ? { style: css } : {}) }
}
