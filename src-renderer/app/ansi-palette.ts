/**
 * The 16 ANSI colours, one palette for everything that shows program output: the terminals (xterm.js takes
 * them as literal colours) and the logs (CSS variables `--ansi-0` … `--ansi-15`, each `light-dark(…)`, so a
 * pinned theme or the system's scheme picks the side). Each side is tuned to the app's theme (theme.css) and
 * every colour reads on its background (at least MINIMUM_CONTRAST, tested).
 */

/**
 * The contrast every colour has on its theme's background. Terminals also ask xterm.js for it per cell, so text
 * on a coloured background (the default text on black or white, say) is lifted until it reads, as VS Code does;
 * the palette's own colours on the page are never changed by it, since they already meet it.
 */
export const MINIMUM_CONTRAST = 3

/** xterm.js's names, in SGR order: 30–37 are 0–7, 90–97 are 8–15. */
export const ANSI_NAMES = [
  'black',
  'red',
  'green',
  'yellow',
  'blue',
  'magenta',
  'cyan',
  'white',
  'brightBlack',
  'brightRed',
  'brightGreen',
  'brightYellow',
  'brightBlue',
  'brightMagenta',
  'brightCyan',
  'brightWhite'
] as const
export type AnsiName = (typeof ANSI_NAMES)[number]

export interface AnsiSide {
  /** What the colours sit on: the terminal's background (the logs' is within a shade of it). */
  background: string
  foreground: string
  colors: Readonly<Record<AnsiName, string>>
}

export const ANSI_PALETTE: Readonly<Record<'light' | 'dark', AnsiSide>> = {
  dark: {
    background: '#141417',
    foreground: '#e4e4e7',
    colors: {
      // Not the background's own colour: a program printing black text on a dark view still gets read.
      black: '#63636d',
      red: '#ff6b5f',
      green: '#3fcf72',
      yellow: '#f3b13d',
      blue: '#6b93ff',
      magenta: '#d08cf0',
      cyan: '#4fc7d6',
      white: '#d4d4d8',
      brightBlack: '#85858f',
      brightRed: '#ff8d84',
      brightGreen: '#6ee29a',
      brightYellow: '#f8c96b',
      brightBlue: '#93b1ff',
      brightMagenta: '#e2b0f7',
      brightCyan: '#7fdbe6',
      brightWhite: '#fafafa'
    }
  },
  light: {
    background: '#ffffff',
    foreground: '#18181b',
    colors: {
      black: '#18181b',
      red: '#c8241a',
      green: '#137f3b',
      yellow: '#9a6100',
      blue: '#2456d6',
      magenta: '#9b2cb0',
      cyan: '#0b7285',
      // White and bright white are greys here: on a white page the usual near-whites would vanish.
      white: '#6b6b76',
      brightBlack: '#62626d',
      brightRed: '#e0443a',
      brightGreen: '#16a34a',
      brightYellow: '#b87503',
      brightBlue: '#3b6df6',
      brightMagenta: '#b44ccc',
      brightCyan: '#1098ad',
      brightWhite: '#8e8e99'
    }
  }
}

/** The CSS variables the logs' SGR classes read (history.css): `--ansi-N: light-dark(<light>, <dark>)`. */
export function ansiCssVariables(): Array<[string, string]> {
  return ANSI_NAMES.map((name, index) => [`--ansi-${index}`, `light-dark(${ANSI_PALETTE.light.colors[name]}, ${ANSI_PALETTE.dark.colors[name]})`])
}

/** Sets the variables on the page's root (through the CSSOM, which the style policy allows). */
export function installAnsiPalette(root: { style: Pick<CSSStyleDeclaration, 'setProperty'> }): void {
  for (const [name, value] of ansiCssVariables()) root.style.setProperty(name, value)
}
