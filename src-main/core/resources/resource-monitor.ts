import type Dockerode from 'dockerode'
import type { WorkspaceUsage } from '../contract/resources'
import { usageFromStats } from './container-stats'

/**
 * Which of this data folder's containers are workspaces', and whose: container id → workspace name, from the
 * database. Labels cannot say it: a container claimed from the warm pool keeps role=pool and no workspace label.
 */
export type WorkspaceContainers = () => ReadonlyMap<string, string>

export interface ResourceMonitorDeps {
  instanceId: string
  workspaceContainers: WorkspaceContainers
  engine: <T>(work: (docker: Dockerode) => Promise<T>) => Promise<T>
  /** How often the running workspaces are listed again (streams opened or closed) and usage is sent. */
  intervalMs?: number
  onProblem?: (message: string) => void
}

interface Stream {
  workspace: string
  close(): void
}

/** A stats frame is a few KiB; a line far longer is not one, and is dropped rather than buffered. */
const MAX_LINE = 1024 * 1024

/** The running workspaces of this data folder: container id → workspace name. */
async function runningWorkspaces(docker: Dockerode, instanceId: string, workspaceContainers: WorkspaceContainers): Promise<Map<string, string>> {
  const containers = await docker.listContainers({ filters: { label: [`dev.sandlot.instance=${instanceId}`], status: ['running'] } })
  const owners = workspaceContainers()
  return new Map(containers.flatMap((c) => (owners.has(c.Id) ? [[c.Id, owners.get(c.Id)!] as const] : [])))
}

/**
 * CPU and memory of the running workspaces, from one engine stats stream per container, open only while
 * someone listens: the first subscriber starts the streams, the last one leaving closes them all.
 */
export class ResourceMonitor {
  readonly #deps: ResourceMonitorDeps
  readonly #listeners = new Set<(usage: WorkspaceUsage[]) => void>()
  readonly #streams = new Map<string, Stream>()
  readonly #latest = new Map<string, WorkspaceUsage>()
  #timer: NodeJS.Timeout | undefined
  #scanning = false
  /** The last listing failure reported, so a down engine is reported once per cause, not every tick. */
  #failing: string | undefined

  constructor(deps: ResourceMonitorDeps) {
    this.#deps = deps
  }

  /** Whether streams are open (someone listens). */
  get active(): boolean {
    return this.#timer !== undefined
  }

  /** The latest usage of each running workspace, while streams are open. */
  latest(): WorkspaceUsage[] {
    return [...this.#latest.values()].sort((a, b) => a.workspace.localeCompare(b.workspace))
  }

  subscribe(listener: (usage: WorkspaceUsage[]) => void): () => void {
    this.#listeners.add(listener)
    if (this.#timer === undefined) {
      this.#timer = setInterval(() => void this.#tick(), this.#deps.intervalMs ?? 2000)
      void this.#scan()
    }
    return () => {
      this.#listeners.delete(listener)
      if (this.#listeners.size === 0) this.stop()
    }
  }

  stop(): void {
    clearInterval(this.#timer)
    this.#timer = undefined
    for (const stream of this.#streams.values()) stream.close()
    this.#streams.clear()
    this.#latest.clear()
    this.#failing = undefined
  }

  async #tick(): Promise<void> {
    await this.#scan()
    const usage = this.latest()
    for (const listener of [...this.#listeners]) listener(usage)
  }

  /** Opens a stream for each newly running workspace, closes those of stopped ones. */
  async #scan(): Promise<void> {
    if (this.#scanning || this.#timer === undefined) return
    this.#scanning = true
    try {
      const running = await this.#deps.engine((docker) => runningWorkspaces(docker, this.#deps.instanceId, this.#deps.workspaceContainers))
      if (this.#timer === undefined) return
      if (this.#failing !== undefined) {
        this.#failing = undefined
        this.#deps.onProblem?.("Reading the workspaces' resource usage works again.")
      }
      for (const [id, stream] of this.#streams) {
        if (running.has(id)) continue
        stream.close()
        this.#streams.delete(id)
        this.#latest.delete(stream.workspace)
      }
      for (const [id, workspace] of running) if (!this.#streams.has(id)) this.#streams.set(id, this.#open(id, workspace))
    } catch (err) {
      // The engine went away: its status says so; the streams end on their own and reopen at the next scan.
      const message = `Reading the workspaces' resource usage failed: ${(err as Error).message}`
      if (message !== this.#failing) this.#deps.onProblem?.(message)
      this.#failing = message
    } finally {
      this.#scanning = false
    }
  }

  #open(id: string, workspace: string): Stream {
    let closed = false
    let body: NodeJS.ReadableStream & { destroy?: () => void } | undefined
    const stream: Stream = {
      workspace,
      close: () => {
        closed = true
        body?.destroy?.()
      }
    }
    const ended = (): void => {
      // A stream that ended (the container stopped) is opened again by a later scan if it still runs; until
      // then its last sample is not shown as if the workspace were still busy.
      if (this.#streams.get(id) !== stream) return
      this.#streams.delete(id)
      this.#latest.delete(workspace)
    }
    void this.#deps
      .engine((docker) => docker.getContainer(id).stats({ stream: true }) as unknown as Promise<NodeJS.ReadableStream>)
      .then((opened) => {
        body = opened as typeof body
        if (closed) return body?.destroy?.()
        let buffer = ''
        opened.on('data', (chunk: Buffer) => {
          buffer += chunk.toString('utf8')
          if (buffer.length > MAX_LINE && !buffer.includes('\n')) buffer = ''
          let newline = buffer.indexOf('\n')
          while (newline >= 0) {
            const line = buffer.slice(0, newline)
            buffer = buffer.slice(newline + 1)
            newline = buffer.indexOf('\n')
            const usage = parseLine(line, workspace)
            if (usage !== undefined && !closed) this.#latest.set(workspace, usage)
          }
        })
        opened.on('end', ended)
        opened.on('error', ended)
      })
      .catch(ended)
    return stream
  }
}

function parseLine(line: string, workspace: string): WorkspaceUsage | undefined {
  try {
    return usageFromStats(JSON.parse(line), workspace, new Date())
  } catch {
    return undefined
  }
}

/** One sample of every running workspace (the engine takes two readings a second apart for each). */
export async function sampleUsage(docker: Dockerode, instanceId: string, workspaceContainers: WorkspaceContainers): Promise<WorkspaceUsage[]> {
  const running = await runningWorkspaces(docker, instanceId, workspaceContainers)
  const samples = await Promise.all(
    [...running].map(async ([id, workspace]) => {
      const frame: unknown = await docker
        .getContainer(id)
        .stats({ stream: false })
        .catch(() => undefined)
      return usageFromStats(frame, workspace, new Date())
    })
  )
  return samples.filter((s): s is WorkspaceUsage => s !== undefined).sort((a, b) => a.workspace.localeCompare(b.workspace))
}
