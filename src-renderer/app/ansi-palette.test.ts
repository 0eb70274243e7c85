import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { TERMINAL_THEMES } from '../views/terminals/xterm-theme'
import { ANSI_NAMES, ANSI_PALETTE, ansiCssVariables, installAnsiPalette, MINIMUM_CONTRAST } from './ansi-palette'

/** WCAG's contrast ratio of two #rrggbb colours. */
function contrast(a: string, b: string): number {
  const luminance = (hex: string): number => {
    const [r, g, bl] = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16) / 255).map((v) => (v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4))
    return 0.2126 * r! + 0.7152 * g! + 0.0722 * bl!
  }
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x)
  return (hi! + 0.05) / (lo! + 0.05)
}

describe('the ANSI palette', () => {
  it('has the 16 colours on each side, as #rrggbb', () => {
    for (const side of [ANSI_PALETTE.light, ANSI_PALETTE.dark]) {
      expect(Object.keys(side.colors)).toEqual([...ANSI_NAMES])
      for (const colour of [side.background, side.foreground, ...Object.values(side.colors)]) expect(colour).toMatch(/^#[0-9a-f]{6}$/)
    }
  })

  it('keeps every colour readable on its background (at least MINIMUM_CONTRAST), black and white included', () => {
    for (const [side, { background, colors }] of Object.entries(ANSI_PALETTE)) {
      const faint = Object.entries(colors)
        .map(([name, colour]) => [name, Math.round(contrast(colour, background) * 100) / 100] as const)
        .filter(([, ratio]) => ratio < MINIMUM_CONTRAST)
      expect(faint, `${side} colours too close to the background`).toEqual([])
    }
  })

  it('gives the logs the same colours as CSS variables, light and dark in one', () => {
    const variables = new Map(ansiCssVariables())
    expect(variables.size).toBe(16)
    expect(variables.get('--ansi-1')).toBe(`light-dark(${ANSI_PALETTE.light.colors.red}, ${ANSI_PALETTE.dark.colors.red})`)
    expect(variables.get('--ansi-15')).toBe(`light-dark(${ANSI_PALETTE.light.colors.brightWhite}, ${ANSI_PALETTE.dark.colors.brightWhite})`)
    const set: Array<[string, string]> = []
    installAnsiPalette({ style: { setProperty: (name: string, value: string | null) => void set.push([name, value ?? '']) } })
    expect(set).toEqual(ansiCssVariables())
  })

  it('is what both views show: the terminals\' themes and the logs\' SGR classes', () => {
    for (const side of ['light', 'dark'] as const) {
      for (const name of ANSI_NAMES) expect(TERMINAL_THEMES[side][name], `${side} ${name}`).toBe(ANSI_PALETTE[side].colors[name])
    }
    const css = readFileSync(new URL('../styles/history.css', import.meta.url), 'utf8')
    const rules = [...css.matchAll(/\.ansi-(fg|bg)-(\d+) \{ ([^}]*) \}/g)]
    expect(rules).toHaveLength(32)
    for (const [, , index, body] of rules) expect(body).toContain(`var(--ansi-${index})`)
  })
})
