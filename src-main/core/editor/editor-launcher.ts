import { execFile, spawn } from 'node:child_process'

/** How the editor's command is run (tests give a recording fake: no VS Code needed to check the command). */
export interface EditorLauncher {
  /** Runs the command to its end and answers its output (`code --list-extensions`); rejects when it cannot start. */
  output(command: string, args: readonly string[]): Promise<{ exitCode: number; stdout: string }>
  /** Starts the editor and leaves it running on its own; rejects when it cannot start (ENOENT: not installed). */
  start(command: string, args: readonly string[]): Promise<void>
}

// `code` on Windows is code.cmd, which only a shell runs; the arguments (a URI, a path) are quoted for cmd.exe.
const onWindows = process.platform === 'win32'
const quoted = (args: readonly string[]): string[] => (onWindows ? args.map((arg) => `"${arg.replace(/"/g, '""')}"`) : [...args])

/** The real launcher: child processes, no shell except for Windows' .cmd shims. */
export const systemLauncher: EditorLauncher = {
  output: (command, args) =>
    new Promise((resolve, reject) => {
      execFile(command, quoted(args), { shell: onWindows, timeout: 30_000, maxBuffer: 4 * 1024 * 1024, windowsHide: true }, (err, stdout) => {
        const code = (err as NodeJS.ErrnoException | null)?.code
        if (err !== null && typeof code === 'string') return reject(err)
        resolve({ exitCode: err === null ? 0 : typeof code === 'number' ? code : 1, stdout })
      })
    }),
  start: (command, args) =>
    new Promise((resolve, reject) => {
      const child = spawn(command, quoted(args), { shell: onWindows, detached: true, stdio: 'ignore', windowsHide: true })
      child.once('error', reject)
      child.once('spawn', () => {
        child.unref()
        resolve()
      })
    })
}
