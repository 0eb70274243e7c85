/**
 * Lines Sandlot writes into a terminal itself, so what happened is on the screen where the user looks (and stays
 * in the scrollback). Each starts on a fresh line and leaves the colours as it found them reset.
 */
const RESET = '\x1b[0m'
/** Modes a dead shell may have left on, which would garble what follows: bracketed paste, mouse reporting; the cursor shown. */
const SOFT_RESET = '\x1b[0m\x1b[?25h\x1b[?2004l\x1b[?1000l\x1b[?1002l\x1b[?1003l\x1b[?1006l'
const DIM = '\x1b[2m'
const YELLOW = '\x1b[33m'

const line = (style: string, text: string): string => `${SOFT_RESET}\r\n${style}${text}${RESET}\r\n`

export const notices = {
  exited: (exitCode: number | null) => line(DIM, `[shell exited${exitCode === null ? '' : ` with code ${exitCode}`}; close this terminal or open a new one]`),
  lost: () => line(YELLOW, '[the container stopped: this terminal reconnects when it runs again]'),
  failed: (message: string) => line(YELLOW, `[no shell: ${message}]`),
  skipped: (characters: number) => line(DIM, `[… ${characters.toLocaleString('en-US')} characters of a flood not kept in Sandlot's copy of this screen …]`),
  waiting: () => line(YELLOW, '[the container is not running: this terminal connects when it starts]'),
  reconnected: () => `${DIM}──────── reconnected: a new shell ────────${RESET}\r\n`,
  revived: () => line(DIM, '──────── restored after Sandlot restarted: a new shell ────────')
} as const
