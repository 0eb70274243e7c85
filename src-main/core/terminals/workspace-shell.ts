import { randomBytes } from 'node:crypto'
import { setTimeout as sleep } from 'node:timers/promises'
import type Dockerode from 'dockerode'
import { execInContainer } from '../workspaces/container-exec'
import { CREATOR, creatorAlive } from '../workspaces/creator'
import { startTtyShell } from '../workspaces/tty-shell'
import type { ShellLauncher } from './shell-process'

const KILLED_RECHECK_MS = 1_000

export interface WorkspaceShellDeps {
  engine: <T>(work: (docker: Dockerode) => Promise<T>) => Promise<T>
  /** The workspace's container and the env `sandlot exec` gives commands (the template's). */
  target: () => Promise<{ containerId: string; env: Record<string, string> }>
  /** Containers (id → start time) already cleared of orphaned shells by this process; shared by its launchers. */
  swept: Map<string, string>
}

/** Thrown when the container is not running: the session waits for it to start instead of failing. */
export class ContainerNotRunning extends Error {
  constructor(readonly containerId: string) {
    super('the container is not running')
  }
}

/**
 * The shell's pid goes to a file before the login shell replaces it (keeping the pid): the engine has no call to
 * end an exec, and a dropped connection leaves its process running, so closing a terminal signals that pid.
 */
const WRITE_PID = '{ echo $$ > "/tmp/.sandlot-terminal-$SANDLOT_TERMINAL"; } 2>/dev/null'
/**
 * Hangs up the shells of these launches. A pid file can outlive its shell (a container restart reuses pids), so a
 * pid is signalled only if that process carries the launch's SANDLOT_TERMINAL in its environment.
 */
const HANG_UP =
  'for t in "$@"; do f="/tmp/.sandlot-terminal-$t"; p="$(cat "$f" 2>/dev/null)"; case "$p" in ""|*[!0-9]*) ;; *) ' +
  'grep -qzxF "SANDLOT_TERMINAL=$t" "/proc/$p/environ" 2>/dev/null && kill -HUP "$p";; esac; rm -f "$f"; done; true'
const PID_FILES = 'cd /tmp 2>/dev/null && for f in .sandlot-terminal-*; do [ -f "$f" ] && echo "$f"; done; true'
/** `<host>:<pid>` of the Sandlot process that started the shell, `+`, a random launch id. */
const PID_FILE = /^\.sandlot-terminal-([A-Za-z0-9._-]{1,253}:[0-9]{1,10})\+([0-9a-f]{16})$/

/**
 * Shells whose Sandlot process is gone (it quit or crashed before it could hang them up: the engine keeps an exec
 * running when its connection drops) are hung up before the first new shell in a container. Shells of another
 * running Sandlot process on the same workspaces are left alone. The names come from the container: checked.
 */
async function hangUpOrphans(container: Dockerode.Container): Promise<void> {
  const listed = await execInContainer(container, ['sh', '-c', PID_FILES], { keep: 64 * 1024 })
  const orphans: string[] = []
  for (const name of listed.stdout.split('\n')) {
    const match = PID_FILE.exec(name.trim())
    if (match && !creatorAlive(match[1])) orphans.push(`${match[1]}+${match[2]}`)
  }
  if (orphans.length > 0) await execInContainer(container, ['sh', '-c', HANG_UP, 'sh', ...orphans], { keep: 0 })
}

/** A workspace terminal: a Docker exec with a TTY in the workspace's container, as `node` in /app. */
export function workspaceShellLauncher(deps: WorkspaceShellDeps): ShellLauncher {
  return async (size, events) => {
    const { containerId, env } = await deps.target()
    const launch = `${CREATOR}+${randomBytes(8).toString('hex')}`
    return deps.engine(async (docker) => {
      const container = docker.getContainer(containerId)
      const before = await container.inspect()
      if (!before.State.Running || before.State.Restarting) throw new ContainerNotRunning(containerId)
      const start = before.State.StartedAt
      if (deps.swept.get(containerId) !== start) {
        await hangUpOrphans(container).catch(() => undefined)
        deps.swept.set(containerId, start)
      }
      const { exec, stream } = await startTtyShell(container, { size, env: { ...env, SANDLOT_TERMINAL: launch }, prelude: WRITE_PID })
      let ended = false
      const end = (): void => {
        if (ended) return
        ended = true
        void (async () => {
          const check = async () => {
            const [info, now] = await Promise.all([exec.inspect().catch(() => undefined), container.inspect().catch(() => undefined)])
            // Same container start and still running: the shell itself ended. Anything else: the container went away under it.
            const lost = now === undefined || !now.State.Running || now.State.StartedAt !== before.State.StartedAt
            return { exitCode: info?.Running === false ? (info.ExitCode ?? null) : null, lost }
          }
          let result = await check()
          // A shell killed with its container ends a moment before the engine marks the container stopped: a
          // killed-looking end is checked again before it counts as the shell's own exit.
          if (!result.lost && (result.exitCode === null || result.exitCode >= 128)) {
            await sleep(KILLED_RECHECK_MS)
            result = await check()
          }
          events.exit({ exitCode: result.exitCode, lostContainer: result.lost })
        })()
      }
      stream.on('data', (chunk: Buffer) => events.data(chunk))
      stream.once('end', end)
      stream.once('close', end)
      stream.on('error', end)
      return {
        write: (data) => void stream.write(data),
        resize: ({ cols, rows }) => exec.resize({ h: rows, w: cols }).then(() => undefined, () => undefined),
        pause: () => void stream.pause(),
        resume: () => void stream.resume(),
        close: () => {
          void deps
            .engine((d) => execInContainer(d.getContainer(containerId), ['sh', '-c', HANG_UP, 'sh', launch], { keep: 0 }))
            .catch(() => undefined)
            .finally(() => stream.destroy())
        }
      }
    })
  }
}
