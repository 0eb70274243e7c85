import { describe, expect, it } from 'vitest'
import { applySgr, levelShown, logLevel, logSegments, visibleText } from './log-text'

describe('log text', () => {
  it('keeps colours as styles and drops the escape codes', () => {
    expect(logSegments('\x1b[31mred\x1b[0m plain \x1b[1;32mbold green\x1b[22m green')).toEqual([
      { text: 'red', style: { fg: 1 } },
      { text: ' plain ' },
      { text: 'bold green', style: { bold: true, fg: 2 } },
      { text: ' green', style: { fg: 2 } }
    ])
  })

  it('reads 256-colour and true-colour codes and bright colours', () => {
    expect(applySgr(undefined, '38;5;196')).toEqual({ fg: 'rgb(255 0 0)' })
    expect(applySgr(undefined, '38;5;244')).toEqual({ fg: 'rgb(128 128 128)' })
    expect(applySgr(undefined, '48;2;10;20;30')).toEqual({ bg: 'rgb(10 20 30)' })
    expect(applySgr(undefined, '91;103')).toEqual({ fg: 9, bg: 11 })
    // Out-of-range values set nothing (they would land in a style attribute).
    expect(applySgr(undefined, '38;2;999;0;0')).toBeUndefined()
    expect(applySgr({ fg: 1 }, '')).toBeUndefined()
  })

  it('shows every other control inert: no cursor moves, titles, bells or hidden text', () => {
    const hostile = 'a\x1b[2J\x1b[Hb\x1b]0;pwned\x07c\x07d\x08e\re\x00\x1b'
    expect(visibleText(hostile)).toBe('abc\u2407d\u2408e\u240de\u2400\u241b')
    expect(visibleText('tab\tstays')).toBe('tab\tstays')
    // An OSC that never ends swallows only itself.
    expect(visibleText('x\x1b]8;;http://evil')).toBe('x')
  })

  it('marks match ranges given in raw offsets, across colour changes', () => {
    // "hello world": "lo w" spans the colour change (raw 3..5 in the red part, 14..16 after the reset).
    const line = 'hel\x1b[31mlo\x1b[0m world'
    expect(logSegments(line, [[6, 16]])).toEqual([
      { text: 'hel' },
      { text: 'lo', style: { fg: 1 }, mark: true },
      { text: ' w', mark: true },
      { text: 'orld' }
    ])
    expect(logSegments('GET /notes 500', [[4, 10], [11, 14]]).map((s) => [s.text, s.mark ?? false])).toEqual([
      ['GET ', false],
      ['/notes', true],
      [' ', false],
      ['500', true]
    ])
  })

  it('guesses levels as a reader would', () => {
    expect(logLevel('TypeError: cannot read properties of undefined')).toBe('error')
    expect(logLevel('    at handle (/app/app.js:12:5)')).toBe('error')
    expect(logLevel('Error: boom')).toBe('error')
    expect(logLevel('npm ERR! code E404')).toBe('error')
    expect(logLevel('\x1b[33mWARN\x1b[0m deprecated option')).toBe('warn')
    expect(logLevel('(node:31) DeprecationWarning: Buffer() is deprecated')).toBe('warn')
    expect(logLevel('{"level":50,"msg":"boom"}')).toBe('error')
    expect(logLevel('{"level":"warn","msg":"slow"}')).toBe('warn')
    expect(logLevel('{"level":20,"msg":"details"}')).toBe('debug')
    expect(logLevel('[debug] cache hit')).toBe('debug')
    expect(logLevel('Listening on http://0.0.0.0:3000')).toBe('info')
    // "errors" in a sentence is not an error line.
    expect(logLevel('0 errors, 0 warnings')).toBe('info')
  })

  it('filters by level', () => {
    expect(['error', 'warn', 'info', 'debug'].filter((l) => levelShown(l as never, 'warn'))).toEqual(['error', 'warn'])
    expect(['error', 'warn', 'info', 'debug'].filter((l) => levelShown(l as never, 'error'))).toEqual(['error'])
    expect(['error', 'warn', 'info', 'debug'].filter((l) => levelShown(l as never, 'all'))).toHaveLength(4)
  })
})
