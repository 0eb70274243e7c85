import type { AppLogLine } from '../contract'
import { SandlotError } from '../sandlot-error'
import { LogsResult } from '../../../container/src/control-protocol'
import { execInContainer } from './container-exec'
import { guardExecStart } from './exec-start-failure'
import { startTtyShell } from './tty-shell'
import type { ExecPlace } from './captured-exec'
import { monitorHasApp, monitorMessage, startApp } from './monitor-control'
import { storedManifest, type WorkspaceRecords, type WorkspaceRow } from './workspace-records'
import type { InteractiveShell, WorkspaceDeps } from './workspace-deps'

/** What runs in a workspace: commands, terminals and shells, and the app under its monitor (logs, process control). */
export class WorkspaceProcesses {
  constructor(
    private readonly deps: WorkspaceDeps,
    private readonly records: WorkspaceRecords
  ) {}


  /** A command in the workspace, as `node` (in /app unless told); the exit code comes back for the CLI to pass through. */
  async exec(
    name: string,
    cmd: string[],
    io: { stdout: NodeJS.WritableStream; stderr: NodeJS.WritableStream; stdin?: NodeJS.ReadableStream },
    place: ExecPlace = {}
  ): Promise<number> {
    const row = this.records.require(name)
    const { stdin } = io
    // A command the engine cannot start comes back as a shell would say it: on stderr, with 127 or 126.
    const guard = guardExecStart(io.stdout)
    const raw = { stdout: guard.stdout, stderr: io.stderr }
    // The template's env, as the app has it, so a command runs as the app would; the caller's variables on top.
    const env = place.env ? { ...storedManifest(row)?.env, ...place.env } : storedManifest(row)?.env
    const result = await this.records.inWorkspace(row, (container) =>
      execInContainer(container, cmd, { workingDir: place.workingDir ?? '/app', raw, keep: 0, ...(stdin ? { stdin } : {}), ...(env ? { env } : {}) })
    )
    const failure = guard.failure(result.exitCode)
    if (failure === undefined) return result.exitCode
    io.stderr.write(`${failure.message}\n`)
    return failure.exitCode
  }

  /** Where a terminal of this workspace runs: its container and the template's env (what `exec` gets too). */
  async terminalTarget(name: string): Promise<{ containerId: string; env: Record<string, string> }> {
    const row = this.records.require(name)
    return this.records.inWorkspace(row, async (container) => ({ containerId: container.id, env: shellEnv(row) }))
  }

  /** An interactive login shell on a TTY (`sandlot shell`): the byte stream, resizing, and its exit code. */
  async shell(name: string, size: { cols: number; rows: number }): Promise<InteractiveShell> {
    const row = this.records.require(name)
    return this.records.inWorkspace(row, async (container) => {
      const { exec, stream } = await startTtyShell(container, { size, env: shellEnv(row) })
      const exit = new Promise<number>((resolve) => {
        const done = (): void => void exec.inspect().then((info) => resolve(info.ExitCode ?? 0), () => resolve(1))
        stream.once('end', done)
        stream.once('close', done)
      })
      return { stream, exit, resize: (cols, rows) => void exec.resize({ h: rows, w: cols }).catch(() => undefined) }
    })
  }

  /** The last lines the app printed, as the monitor keeps them. */
  async logs(name: string, lines = 100): Promise<{ lines: AppLogLine[] }> {
    const row = this.records.require(name)
    const result = await this.records.inWorkspace(row, (container) => execInContainer(container, ['monitor-cli', 'logs', 'tail', '-n', String(lines), '--json'], { user: 'monitor' }))
    if (result.exitCode !== 0) throw new SandlotError('APP_FAILED', `The monitor in ${name} did not give its log: ${monitorMessage(result.stdout || result.stderr)}`)
    // The container's answer is checked like any input from outside.
    const parsed = LogsResult.parse(JSON.parse(result.stdout))
    return { lines: parsed.lines.map(({ ts, stream, line }) => ({ ts, stream, line })) }
  }

  /** `monitor-cli process …` inside the workspace: the monitor's own answer, as JSON. */
  async process(name: string, action: 'status' | 'start' | 'stop' | 'restart', command?: string): Promise<unknown> {
    const row = this.records.require(name)
    const stored = storedManifest(row) ?? (await this.deps.template(row.templateId).then((t) => t.manifest, () => undefined))
    // A command given with start runs instead of the template's (a shell workspace gets an app this way).
    const manifest = command === undefined || stored === undefined ? stored : { ...stored, start: command }
    // Without a start command of its own, a workspace has an app only if one was started with a command (the monitor keeps it).
    if (action !== 'status' && !manifest?.start && (action === 'start' || !(await this.records.inWorkspace(row, monitorHasApp)))) {
      throw new SandlotError('CONFLICT', `${name} runs no app: its template (${row.templateId}) has no start command.`, `Run commands in it with \`sandlot exec ${name} -- …\` or \`sandlot shell ${name}\`.`)
    }
    return this.records.inWorkspace(row, async (container) => {
      // The monitor needs the command to start an app it is not running; the workspace's own settings give it.
      if (action === 'start' && manifest?.start) await startApp(container, manifest)
      const command = action === 'start' ? 'status' : action
      const result = await execInContainer(container, ['monitor-cli', 'process', command, '--json'], { user: 'monitor' })
      if (result.exitCode !== 0) throw new SandlotError('APP_FAILED', `The monitor in ${name} refused \`process ${action}\`: ${monitorMessage(result.stdout || result.stderr)}`)
      return JSON.parse(result.stdout) as unknown
    })
  }
}

/**
 * What a workspace's interactive shells get: the template's env, and the workspace's name, which the image's
 * ~/.bashrc puts in the prompt where the container's host name (its id) would be.
 */
function shellEnv(row: WorkspaceRow): Record<string, string> {
  return { ...(storedManifest(row)?.env ?? {}), SANDLOT_WORKSPACE: row.name }
}
