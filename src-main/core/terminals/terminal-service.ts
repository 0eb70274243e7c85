import { randomBytes } from 'node:crypto'
import type { TerminalChange, TerminalInfo, TerminalSize, TerminalTarget } from '../contract'
import { EventChannel } from '../event-channel'
import { SandlotError } from '../sandlot-error'
import type { ReadyShells } from './ready-shells'
import type { ShellLauncher } from './shell-process'
import type { StreamHandle, StreamSink } from '../api'
import { TerminalSession } from './terminal-session'

/** Far above the 32 sessions a user keeps open at once; each costs a shell, a mirror and its scrollback. */
export const MAX_TERMINALS = 64
const DEFAULT_SIZE: TerminalSize = { cols: 80, rows: 24 }
/**
 * A changed screen is saved once its terminal has been quiet this long: serializing a full scrollback takes tens
 * of milliseconds of the core's thread, which a busy terminal (or 32 of them) must not pay every few seconds.
 */
const SCREEN_SAVE_QUIET_MS = 2_000
/** Lines of history a saved screen keeps: enough to look back after a restart, at a fifth of a full scrollback's cost. */
export const SAVED_SCROLLBACK = 1_000

/** Where terminals are kept across restarts (the database's terminals table). */
export interface TerminalPersistence {
  saveLayout(info: TerminalInfo): void
  saveLayouts(infos: readonly TerminalInfo[]): void
  saveScreen(id: string, screen: string): void
  remove(id: string): void
  load(onProblem?: (message: string) => void): SavedTerminal[]
}

export interface TerminalServiceDeps {
  /** A launcher for a new shell of this target; for a workspace, it starts a TTY exec in its container. */
  launcher: (target: TerminalTarget) => ShellLauncher
  /** Shells kept started per ready workspace, handed over to the workspace's next terminal. */
  ready?: ReadyShells
  /** Checks that a workspace exists and can have a terminal (throws what is wrong) before a session is made. */
  checkWorkspace: (workspace: string) => Promise<void>
  scrollback: () => number
  store?: TerminalPersistence
  onProblem?: (message: string) => void
  now?: () => Date
}

/** What the store keeps of a terminal, to revive the layout after Sandlot restarts. */
export interface SavedTerminal {
  id: string
  name: string
  target: TerminalTarget
  position: number
  cols: number
  rows: number
  createdAt: string
  screen: string
}

/**
 * Every terminal of this core, whoever looks at it: sessions outlive the clients attached to them (a window
 * reload, a second browser tab) and end only when closed, or when the core closes.
 */
export class TerminalService {
  readonly #deps: TerminalServiceDeps
  readonly #sessions = new Map<string, TerminalSession>()
  readonly changes = new EventChannel<TerminalChange>()
  /** Terminals whose screen changed since it was last saved, with the time of their last output. */
  readonly #dirty = new Map<string, number>()
  #saveTimer: NodeJS.Timeout | undefined

  constructor(deps: TerminalServiceDeps) {
    this.#deps = deps
  }

  async open(params: { target: TerminalTarget; name?: string; size?: TerminalSize }): Promise<TerminalInfo> {
    this.#assertRoom()
    if (params.target.kind === 'workspace') await this.#deps.checkWorkspace(params.target.workspace)
    const session = this.#create({
      id: `t${randomBytes(9).toString('base64url')}`,
      name: params.name ?? this.#defaultName(params.target),
      target: params.target,
      size: params.size ?? DEFAULT_SIZE,
      createdAt: (this.#deps.now?.() ?? new Date()).toISOString()
    })
    try {
      await session.start()
    } catch (err) {
      this.#sessions.delete(session.id)
      session.close()
      throw err
    }
    this.#deps.store?.saveLayout(session.info())
    this.#emit('opened', session)
    return session.info()
  }

  /** Revives every terminal saved before Sandlot last closed (long-lived processes, once, at start). */
  async reviveSaved(): Promise<TerminalInfo[]> {
    const saved = this.#deps.store?.load(this.#deps.onProblem) ?? []
    const revived: TerminalInfo[] = []
    for (const terminal of saved) {
      if (this.#sessions.has(terminal.id) || this.#sessions.size >= MAX_TERMINALS) continue
      revived.push(await this.#revive(terminal))
    }
    return revived
  }

  /** Brings back a terminal saved before a restart: its last screen as history, a fresh shell below it. */
  async #revive(saved: SavedTerminal): Promise<TerminalInfo> {
    const session = this.#create({ ...saved, size: { cols: saved.cols, rows: saved.rows }, history: saved.screen, position: saved.position })
    await session.start().catch((err: unknown) => session.fail((err as Error).message))
    this.#emit('opened', session)
    return session.info()
  }

  list(): TerminalInfo[] {
    return [...this.#sessions.values()].map((s) => s.info()).sort((a, b) => a.position - b.position)
  }

  rename(id: string, name: string): TerminalInfo {
    const session = this.#require(id)
    session.name = name
    this.#deps.store?.saveLayout(session.info())
    this.#emit('renamed', session)
    return session.info()
  }

  /** Answers once the shell has the new size. */
  async resize(id: string, size: TerminalSize): Promise<TerminalInfo> {
    const session = this.#require(id)
    await session.resize(size)
    this.#deps.store?.saveLayout(session.info())
    this.#emit('resized', session)
    return session.info()
  }

  /** A new order for the tabs and the grid: every open terminal's id, once each. */
  reorder(ids: string[]): TerminalInfo[] {
    const open = new Set(this.#sessions.keys())
    if (ids.length !== open.size || new Set(ids).size !== ids.length || ids.some((id) => !open.has(id))) {
      throw new SandlotError('BAD_REQUEST', 'A new order must name every open terminal exactly once.', 'List the terminals again (terminals.list) and send all their ids.')
    }
    const sessions = ids.map((id, position) => {
      const session = this.#require(id)
      session.position = position
      return session
    })
    this.#deps.store?.saveLayouts(sessions.map((session) => session.info()))
    for (const session of sessions) this.#emit('reordered', session)
    return this.list()
  }

  close(id: string): { id: string; closed: true } {
    const session = this.#require(id)
    this.#sessions.delete(id)
    this.#dirty.delete(id)
    session.close()
    this.#deps.store?.remove(id)
    this.#emit('closed', session)
    return { id, closed: true }
  }

  attach(id: string, sink: StreamSink): { terminal: TerminalInfo; handle: StreamHandle } {
    const session = this.#require(id)
    return { terminal: session.info(), handle: session.attach(sink) }
  }

  /** Whether someone looks at a terminal of this workspace now (what keeps it from an idle stop). */
  attachedTo(workspace: string): boolean {
    return [...this.#sessions.values()].some((s) => s.target.kind === 'workspace' && s.target.workspace === workspace && s.attached)
  }

  /** Tests and benchmarks only (no face calls it): the screen as the mirror has it once all output so far is parsed. */
  serialize(id: string): Promise<string> {
    return this.#require(id).serialize()
  }

  /** Long-lived processes: keep a ready shell per running, ready workspace from now on (see workspaceChanged). */
  keepReadyShells(): void {
    this.#deps.ready?.enable()
  }

  /**
   * A workspace changed (created, started, stopped, removed): its terminals waiting for a running container get
   * a fresh shell; a running, ready one gets a ready shell; a removed one's terminals say so and end (their
   * container will not come back).
   */
  workspaceChanged(workspace: string, now: { ready: boolean; running: boolean } | undefined): void {
    if (now?.running) for (const session of this.#sessionsOf(workspace)) if (session.state === 'connecting') void session.reconnect()
    if (now?.ready && now.running) this.#deps.ready?.ensure(workspace)
    else this.#deps.ready?.drop(workspace)
    if (now !== undefined) return
    // Not described can also mean the engine did not answer: only a workspace the database no longer has is gone.
    this.#deps.checkWorkspace(workspace).catch((err: unknown) => {
      if (!(err instanceof SandlotError) || err.code !== 'NOT_FOUND') return
      for (const session of this.#sessionsOf(workspace)) if (session.state !== 'exited') session.fail(`the workspace ${workspace} was removed`)
    })
  }

  #sessionsOf(workspace: string): TerminalSession[] {
    return [...this.#sessions.values()].filter((session) => session.target.kind === 'workspace' && session.target.workspace === workspace)
  }

  /** Tests and benchmarks only (no face calls it): whether a shell is started and waiting for this workspace's next terminal. */
  hasReadyShell(workspace: string): boolean {
    return this.#deps.ready?.has(workspace) ?? false
  }

  /** Tests only (no face calls it): the live sessions, to look at one's flow control. */
  sessions(): readonly TerminalSession[] {
    return [...this.#sessions.values()]
  }

  /** Saves the screens that changed since their last save and are quiet now (all with `quietMs` 0). */
  async saveScreens(quietMs = SCREEN_SAVE_QUIET_MS): Promise<void> {
    const store = this.#deps.store
    if (!store) return
    const now = Date.now()
    for (const [id, lastOutput] of [...this.#dirty]) {
      if (now - lastOutput < quietMs) continue
      this.#dirty.delete(id)
      const session = this.#sessions.get(id)
      const screen = await session?.serialize(SAVED_SCROLLBACK)
      if (screen !== undefined && this.#sessions.has(id)) store.saveScreen(id, screen)
    }
  }

  /** Ends every shell (the core is closing), saving each screen as far as it is parsed: the next start revives them. */
  closeAll(): void {
    this.#deps.ready?.closeAll()
    if (this.#saveTimer) clearInterval(this.#saveTimer)
    this.#saveTimer = undefined
    for (const session of this.#sessions.values()) {
      if (this.#dirty.has(session.id)) this.#deps.store?.saveScreen(session.id, session.screenNow(SAVED_SCROLLBACK))
      session.close()
    }
    this.#sessions.clear()
    this.#dirty.clear()
  }

  #create(spec: { id: string; name: string; target: TerminalTarget; size: TerminalSize; createdAt: string; history?: string; position?: number }): TerminalSession {
    const firstLaunch = spec.target.kind === 'workspace' && spec.history === undefined ? this.#deps.ready?.take(spec.target.workspace) : undefined
    const session = new TerminalSession({
      ...spec,
      position: spec.position ?? this.#nextPosition(),
      scrollback: this.#deps.scrollback(),
      launch: this.#deps.launcher(spec.target),
      ...(firstLaunch ? { firstLaunch } : {}),
      onChange: (kind) => this.#emit(kind, session),
      onOutput: () => this.#dirty.set(spec.id, Date.now()),
      ...(this.#deps.onProblem ? { onProblem: this.#deps.onProblem } : {})
    })
    this.#sessions.set(spec.id, session)
    if (this.#deps.store && this.#saveTimer === undefined) {
      this.#saveTimer = setInterval(() => void this.saveScreens().catch((err: unknown) => this.#deps.onProblem?.(`Saving terminal screens failed: ${(err as Error).message}`)), SCREEN_SAVE_QUIET_MS)
      this.#saveTimer.unref()
    }
    return session
  }

  #emit(kind: TerminalChange['kind'], session: TerminalSession): void {
    this.changes.emit({ kind, terminal: session.info() })
  }

  #require(id: string): TerminalSession {
    const session = this.#sessions.get(id)
    if (!session) throw new SandlotError('NOT_FOUND', `There is no terminal ${id}.`, 'It was closed; list the open ones with terminals.list.')
    return session
  }

  #assertRoom(): void {
    if (this.#sessions.size >= MAX_TERMINALS) {
      throw new SandlotError('CONFLICT', `Too many terminals: at most ${MAX_TERMINALS} at once.`, 'Close terminals you no longer use.')
    }
  }

  #nextPosition(): number {
    let next = 0
    for (const session of this.#sessions.values()) next = Math.max(next, session.position + 1)
    return next
  }

  #defaultName(target: TerminalTarget): string {
    const base = target.kind === 'workspace' ? target.workspace : 'host'
    const taken = new Set([...this.#sessions.values()].map((s) => s.name))
    if (!taken.has(base)) return base
    let n = 2
    while (taken.has(`${base} ${n}`)) n += 1
    return `${base} ${n}`
  }
}
