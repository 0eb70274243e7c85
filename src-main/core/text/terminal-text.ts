/**
 * Container output (an app, a dependency's install script) is untrusted. Printed to the user's terminal as it
 * is, its escape sequences would act on that terminal: set the title (OSC 0), write the clipboard (OSC 52),
 * plant hyperlinks (OSC 8), clear the screen, move the cursor to overwrite earlier lines, or send device
 * queries whose answers land in the user's shell. `safeForTerminal` keeps colours (SGR: `ESC [ params m`) and
 * turns every other control character into visible text, so the user sees that something was there and the
 * terminal acts on none of it:
 *
 * - ESC that does not start an SGR sequence → `^[` (the rest of the sequence is then plain text)
 * - other C0 controls and DEL → caret notation (`^G`, `^H`, `^M`, `^?`); `\t`, `\n` and `\r\n` stay
 * - C1 controls (U+0080–U+009F: 8-bit CSI, OSC, DCS, ST…) → `^[` and their 7-bit letter (U+009B → `^[[`)
 */

const ESC = 0x1b
/** SGR parameters are digits separated by `;` or `:` (ITU T.416 sub-parameters); far longer ones are not colours. */
const SGR = /^\x1b\[[0-9;:]{0,64}m/

export function safeForTerminal(text: string): string {
  let out = ''
  let plainFrom = 0
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i)
    if (!isControl(code)) continue
    if (code === 0x09 || code === 0x0a) continue
    if (code === 0x0d && text.charCodeAt(i + 1) === 0x0a) continue
    out += text.slice(plainFrom, i)
    plainFrom = i + 1
    if (code === ESC) {
      const sgr = SGR.exec(text.slice(i, i + 68))
      if (sgr) {
        out += sgr[0]
        i += sgr[0].length - 1
        plainFrom = i + 1
        continue
      }
    }
    out += visible(code)
  }
  return out + text.slice(plainFrom)
}

function isControl(code: number): boolean {
  return code < 0x20 || (code >= 0x7f && code <= 0x9f)
}

function visible(code: number): string {
  if (code === 0x7f) return '^?'
  if (code < 0x20) return `^${String.fromCharCode(code + 0x40)}`
  // C1: the 7-bit form of U+0080+n is ESC followed by the character 0x40+n.
  return `^[${String.fromCharCode(code - 0x40)}`
}
