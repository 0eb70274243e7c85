import { describe, expect, it } from 'vitest'
import { LineGrouper } from './line-grouper'
import { ManualClock } from './testing/manual-clock'

function setup(maxLines = 200) {
  const clock = new ManualClock()
  const groups: string[][] = []
  const grouper = new LineGrouper({ clock, flushMs: 100, maxLines, onGroup: (lines) => groups.push(lines) })
  const push = (...lines: string[]) => lines.forEach((line) => grouper.push(line))
  return { clock, groups, grouper, push }
}

describe('LineGrouper', () => {
  it('keeps an error with its stack, properties and trailer, and starts anew at the next plain line', () => {
    const { groups, grouper, push } = setup()
    push('server started', 'Error: boom', '    at a (/app/a.js:1:2)', '    at b (/app/b.js:3:4) {', "  code: 'E_BOOM'", '}', '', 'Node.js v22.1.0', 'next line')
    grouper.flush()
    expect(groups).toEqual([
      ['server started'],
      ['Error: boom', '    at a (/app/a.js:1:2)', '    at b (/app/b.js:3:4) {', "  code: 'E_BOOM'", '}', '', 'Node.js v22.1.0'],
      ['next line']
    ])
  })

  it("joins Node's location preamble, the quoted source line (even unindented) and the message", () => {
    const { groups, grouper, push } = setup()
    push('/app/x.js:2', 'function f() { throw new TypeError("t") }', '               ^', '', 'TypeError: t', '    at f (/app/x.js:2:22)', 'after')
    grouper.flush()
    expect(groups).toEqual([['/app/x.js:2', 'function f() { throw new TypeError("t") }', '               ^', '', 'TypeError: t', '    at f (/app/x.js:2:22)'], ['after']])
  })

  it('lets a header ending in ":" take the body below it', () => {
    const { groups, grouper, push } = setup()
    push('error during build:', 'Build failed with 1 error:', '', '[PARSE_ERROR] Unexpected token', '   ╭─[ src/a.js:2:8 ]', '───╯', 'done')
    grouper.flush()
    expect(groups).toEqual([['error during build:', 'Build failed with 1 error:', '', '[PARSE_ERROR] Unexpected token', '   ╭─[ src/a.js:2:8 ]', '───╯'], ['done']])
  })

  it('keeps lines with the same npm prefix together and splits at a different one', () => {
    const { groups, grouper, push } = setup()
    push('npm warn config x', 'npm error code E404', 'npm error 404 Not Found', 'npm error 404')
    grouper.flush()
    expect(groups).toEqual([['npm warn config x'], ['npm error code E404', 'npm error 404 Not Found', 'npm error 404']])
  })

  it("starts a new group at Next.js's ⨯ marker, even though it is indented, and takes the message below it", () => {
    const { groups, grouper, push } = setup()
    push(' ⨯ ./app/page.js:1:1', "Module not found: Can't resolve './x'", "> 1 | import x from './x'", '    | ^', '', ' ⨯ ./app/page.js:1:1', "Module not found: Can't resolve './x'")
    grouper.flush()
    expect(groups).toEqual([
      [' ⨯ ./app/page.js:1:1', "Module not found: Can't resolve './x'", "> 1 | import x from './x'", '    | ^'],
      [' ⨯ ./app/page.js:1:1', "Module not found: Can't resolve './x'"]
    ])
  })

  it('emits a JSON line on its own, at once', () => {
    const { groups, push } = setup()
    push('Error: x', '{"level":50,"msg":"y"}')
    expect(groups).toEqual([['Error: x'], ['{"level":50,"msg":"y"}']])
  })

  it('flushes after flushMs of silence, not while lines keep coming', () => {
    const { clock, groups, push } = setup()
    push('Error: slow')
    clock.advance(60)
    push('    at a (/app/a.js:1:1)')
    clock.advance(60) // 120 ms after the first line, 60 after the last
    expect(groups).toEqual([])
    clock.advance(40)
    expect(groups).toEqual([['Error: slow', '    at a (/app/a.js:1:1)']])
  })

  it('cuts a group at maxLines and drops trailing and empty-only groups', () => {
    const { groups, grouper, push } = setup(3)
    push('Error: long', '  1', '  2', '  3', '', '')
    grouper.flush()
    push('', '  ')
    grouper.flush()
    expect(groups).toEqual([['Error: long', '  1', '  2'], ['  3']])
  })
})
