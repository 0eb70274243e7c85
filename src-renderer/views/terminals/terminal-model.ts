import { Settings, type SettingsView, type TerminalChange, type TerminalInfo, type TerminalState } from '../../../src-main/core/contract'

/**
 * The Terminals pages' pure parts: the list kept current from `terminals.changed`, groups (a workspace's
 * terminals, or the host's), their routes, tab order, the grid's shape and its filter.
 */

/** The `terminal.scrollback` default, from the one schema the core reads settings.json with. */
const DEFAULT_SCROLLBACK = Settings.parse({}).terminal.scrollback

/**
 * Lines the window keeps above each terminal's screen: the `terminal.scrollback` setting (the core's mirror
 * keeps as many), its default until the settings have arrived.
 */
export function windowScrollback(view: SettingsView | undefined): number {
  return view?.settings.terminal.scrollback ?? DEFAULT_SCROLLBACK
}

/** The group of host shells; workspace names cannot start with `@`, so it never collides with one. */
export const HOST_GROUP = '@host'

export function groupOf(terminal: TerminalInfo): string {
  return terminal.target.kind === 'host' ? HOST_GROUP : terminal.target.workspace
}

export function groupLabel(group: string): string {
  return group === HOST_GROUP ? 'This computer' : group
}

/**
 * What a tabs page's group is: `open` takes new terminals (the host, a listed workspace, or any while the list
 * is not in yet); `removed` is a workspace no longer listed whose exited terminals are still kept (their screens
 * stay readable); `unknown` is a name with neither, never made or removed with nothing left of it here.
 */
export type GroupStanding = 'open' | 'removed' | 'unknown'

export function groupStanding(group: string, listed: { has(name: string): boolean } | undefined, terminalCount: number): GroupStanding {
  if (group === HOST_GROUP || listed === undefined || listed.has(group)) return 'open'
  return terminalCount > 0 ? 'removed' : 'unknown'
}

/** The list after one change event, in layout order. */
export function applyTerminalChange(list: readonly TerminalInfo[], { kind, terminal }: TerminalChange): TerminalInfo[] {
  const others = list.filter((candidate) => candidate.id !== terminal.id)
  return byPosition(kind === 'closed' || terminal.state === 'closed' ? others : [...others, terminal])
}

export function byPosition(list: readonly TerminalInfo[]): TerminalInfo[] {
  return [...list].sort((a, b) => a.position - b.position || a.createdAt.localeCompare(b.createdAt))
}

/** Groups in the order their first terminal appears in the layout. */
export function groupsOf(list: readonly TerminalInfo[]): string[] {
  return [...new Set(byPosition(list).map(groupOf))]
}

/** `#/terminals` is the grid; `#/terminals/<workspace>` (or `/@host`) that group's tabs. */
export type TerminalsRoute = { page: 'grid' } | { page: 'tabs'; group: string }

const GROUP = /^(@host|[a-z0-9][a-z0-9-]{0,62})$/

export function parseTerminalsPath(path: string): TerminalsRoute {
  const [view, group] = path.replace(/^#?\/?/, '').split('/')
  return view === 'terminals' && group !== undefined && GROUP.test(group) ? { page: 'tabs', group } : { page: 'grid' }
}

export function terminalsPath(route: TerminalsRoute): string {
  return route.page === 'grid' ? 'terminals' : `terminals/${route.group}`
}

/**
 * The layout order after a tab of one group moved from `from` to `to` (indexes within the group): the group
 * keeps the layout slots it had, the others stay where they are. Every id once, as `terminals.reorder` wants.
 */
export function reorderWithinGroup(list: readonly TerminalInfo[], group: string, from: number, to: number): string[] {
  const ordered = byPosition(list)
  const members = ordered.filter((terminal) => groupOf(terminal) === group)
  if (from === to || members[from] === undefined || to < 0 || to >= members.length) return ordered.map((terminal) => terminal.id)
  const moved = [...members]
  const [taken] = moved.splice(from, 1)
  moved.splice(to, 0, taken!)
  let next = 0
  return ordered.map((terminal) => (groupOf(terminal) === group ? moved[next++]!.id : terminal.id))
}

/**
 * Columns and rows of the grid: near-square, wider than tall (terminals are wide), capped by how many columns
 * of at least `minCellWidth` fit. 16 cells on a 1080p window are 4 × 4.
 */
export function gridShape(count: number, width: number, minCellWidth = 320): { columns: number; rows: number } {
  if (count <= 0) return { columns: 1, rows: 0 }
  const fit = Math.max(1, Math.floor(width / minCellWidth))
  const columns = Math.min(fit, count, Math.ceil(Math.sqrt(count)) + (count === 2 || count === 3 ? 1 : 0))
  return { columns, rows: Math.ceil(count / columns) }
}

/** What the grid's state filter offers. */
export const STATE_FILTERS = ['all', 'running', 'connecting', 'exited'] as const
export type StateFilter = (typeof STATE_FILTERS)[number]

export function matchesFilter(terminal: TerminalInfo, { text, state }: { text: string; state: StateFilter }): boolean {
  if (state !== 'all' && terminal.state !== state) return false
  const needle = text.trim().toLowerCase()
  if (needle === '') return true
  return [groupLabel(groupOf(terminal)), terminal.name].some((field) => field.toLowerCase().includes(needle))
}

/** How a terminal's connection reads in a cell header and a tab. */
export type LinkState = 'attaching' | 'live' | 'lost' | 'ended'

export function connectionLabel(state: TerminalState, link: LinkState, exitCode: number | null): { text: string; tone: 'ok' | 'pending' | 'idle' | 'error' } {
  if (link === 'ended' || state === 'closed') return { text: 'Closed', tone: 'idle' }
  if (state === 'exited') return { text: exitCode === null ? 'Exited' : `Exited (${exitCode})`, tone: exitCode === 0 ? 'idle' : 'error' }
  if (link === 'lost') return { text: 'Link lost', tone: 'pending' }
  if (state === 'connecting') return { text: 'Reconnecting', tone: 'pending' }
  if (link === 'attaching') return { text: 'Attaching', tone: 'pending' }
  return { text: 'Live', tone: 'ok' }
}
