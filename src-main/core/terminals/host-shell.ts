import { homedir } from 'node:os'
import * as pty from 'node-pty'
import type { ShellLauncher } from './shell-process'

/** The user's own shell: `$SHELL` (a login shell on macOS, as Terminal.app starts it), `%COMSPEC%` or PowerShell on Windows. */
function hostShellCommand(env: NodeJS.ProcessEnv, platform: NodeJS.Platform): { file: string; args: string[] } {
  if (platform === 'win32') return { file: env.COMSPEC || 'powershell.exe', args: [] }
  return { file: env.SHELL || '/bin/sh', args: platform === 'darwin' ? ['-l'] : [] }
}

/** A host terminal: node-pty running the user's shell in their home folder. */
export function hostShellLauncher(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): ShellLauncher {
  return async (size, events) => {
    const { file, args } = hostShellCommand(env, platform)
    const shell = pty.spawn(file, args, {
      name: 'xterm-256color',
      cols: size.cols,
      rows: size.rows,
      cwd: homedir(),
      env: { ...env, TERM: 'xterm-256color', COLORTERM: 'truecolor' },
      // Bytes, not text: the session decodes UTF-8 itself, across chunk borders, for both kinds of shell.
      encoding: null
    })
    shell.onData((chunk) => events.data(typeof chunk === 'string' ? Buffer.from(chunk) : chunk))
    shell.onExit(({ exitCode }) => events.exit({ exitCode, lostContainer: false }))
    return {
      write: (data) => shell.write(data),
      resize: ({ cols, rows }) => shell.resize(cols, rows),
      pause: () => shell.pause(),
      resume: () => shell.resume(),
      close: () => shell.kill()
    }
  }
}
