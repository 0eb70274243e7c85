// CSI sequences (colours, cursor moves; ESC [ or its one-byte C1 form), OSC sequences (titles, hyperlinks; ended by
// BEL or ESC \, or cut short by the next escape or the end of the text) and two-byte escapes. OSC before the
// two-byte form, which would otherwise take its `ESC ]`.
export const ANSI = /\x1b\[[0-?]*[ -/]*[@-~]|\x9b[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?|\x1b[@-Z\\-_]/g

/** Removes terminal escape sequences: tools colour their output, patterns and searches must match the text. */
export function stripAnsi(text: string): string {
  return text.includes('\x1b') || text.includes('\x9b') ? text.replace(ANSI, '') : text
}
