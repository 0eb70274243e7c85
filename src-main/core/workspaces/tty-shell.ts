import type { Duplex } from 'node:stream'
import type Dockerode from 'dockerode'

/** Login bash, or sh where an image has no bash. */
export const LOGIN_SHELL = 'if command -v bash >/dev/null 2>&1; then exec bash -l; fi; exec sh -l'

export interface TtyShellOptions {
  size: { cols: number; rows: number }
  /** The template's env (what `sandlot exec` gives commands), plus anything the caller adds. */
  env: Record<string, string>
  /** Shell commands run before the login shell replaces them (`exec` keeps the pid). */
  prelude?: string
}

/**
 * An interactive login shell on a TTY in a workspace's container, as `node` in /app: what both a terminal and
 * `sandlot shell` open, so the two get the same shell, env and colours.
 */
export async function startTtyShell(container: Dockerode.Container, options: TtyShellOptions): Promise<{ exec: Dockerode.Exec; stream: Duplex }> {
  const exec = await container.exec({
    Cmd: ['sh', '-c', options.prelude ? `${options.prelude}; ${LOGIN_SHELL}` : LOGIN_SHELL],
    Tty: true,
    AttachStdin: true,
    AttachStdout: true,
    AttachStderr: true,
    User: 'node',
    WorkingDir: '/app',
    Env: [...Object.entries(options.env).map(([k, v]) => `${k}=${v}`), 'TERM=xterm-256color', 'COLORTERM=truecolor']
  })
  const stream = (await exec.start({ hijack: true, stdin: true, Tty: true })) as Duplex
  await exec.resize({ h: options.size.rows, w: options.size.cols }).catch(() => undefined)
  return { exec, stream }
}
