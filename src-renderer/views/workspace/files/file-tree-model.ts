import type { FileEntry } from '../../../../src-main/core/contract'
import type { CallError } from '../../../bridge/bridge'

/** The tree's root: everything a workspace's app has. */
export const ROOT = '/app'
/** Entries shown per folder before a "N more" row: a node_modules of thousands stays quick to draw and to walk. */
export const PAGE = 200

/** Folders that hold what tools made, not what people wrote: never opened on their own, and marked. */
const GENERATED: Record<string, string> = { node_modules: 'packages', '.git': 'git data' }

export interface FolderState {
  status: 'loading' | 'loaded' | 'error'
  /** Sorted (folders first); kept while a refresh is on its way. */
  entries?: readonly FileEntry[]
  error?: CallError
  /** How many entries are shown (PAGE at first, one more PAGE per "more"). */
  shown: number
}

export interface TreeState {
  /** By absolute path; a folder is here once it has been asked for. */
  folders: Readonly<Record<string, FolderState>>
  expanded: ReadonlySet<string>
}

export type TreeRow =
  | { kind: 'entry'; id: string; entry: FileEntry; depth: number; parent: string; expandable: boolean; expanded: boolean; hidden: boolean; generated?: string }
  | { kind: 'more'; id: string; folder: string; depth: number; remaining: number; parent: string }
  | { kind: 'status'; id: string; folder: string; depth: number; status: 'loading' | 'error' | 'empty'; error?: CallError; parent: string }

export const emptyTree: TreeState = { folders: {}, expanded: new Set([ROOT]) }

/** Folders first, then by name as people sort them (a2 before a10, case aside). */
export function sortEntries(entries: readonly FileEntry[]): FileEntry[] {
  const collator = new Intl.Collator(undefined, { numeric: true, sensitivity: 'base' })
  return [...entries].sort((a, b) => Number(b.type === 'dir') - Number(a.type === 'dir') || collator.compare(a.name, b.name))
}

export function withLoading(state: TreeState, folder: string): TreeState {
  const before = state.folders[folder]
  return { ...state, folders: { ...state.folders, [folder]: { ...before, status: 'loading', shown: before?.shown ?? PAGE, error: undefined } } }
}

/** A folder's listing arrived: folders inside it that are gone are forgotten (and closed). */
export function withListing(state: TreeState, folder: string, entries: readonly FileEntry[]): TreeState {
  const sorted = sortEntries(entries)
  const dirs = new Set(sorted.filter((e) => e.type === 'dir').map((e) => e.path))
  const gone = (path: string): boolean => path !== folder && isInside(path, folder) && !dirs.has(ancestorIn(path, folder))
  const folders = Object.fromEntries(Object.entries(state.folders).filter(([path]) => !gone(path)))
  folders[folder] = { status: 'loaded', entries: sorted, shown: Math.max(PAGE, state.folders[folder]?.shown ?? PAGE) }
  return { folders, expanded: new Set([...state.expanded].filter((path) => !gone(path))) }
}

export function withError(state: TreeState, folder: string, error: CallError): TreeState {
  const before = state.folders[folder]
  return { ...state, folders: { ...state.folders, [folder]: { ...before, status: 'error', error, shown: before?.shown ?? PAGE } } }
}

/** Opens or closes a folder; the caller lists one that opens without a listing (`needsListing`). */
export function toggle(state: TreeState, folder: string): TreeState {
  const expanded = new Set(state.expanded)
  if (expanded.has(folder)) expanded.delete(folder)
  else expanded.add(folder)
  return { ...state, expanded }
}

export function expand(state: TreeState, folder: string): TreeState {
  return state.expanded.has(folder) ? state : toggle(state, folder)
}

export function needsListing(state: TreeState, folder: string): boolean {
  return state.expanded.has(folder) && state.folders[folder] === undefined
}

export function showMore(state: TreeState, folder: string): TreeState {
  const before = state.folders[folder]
  if (before === undefined) return state
  return { ...state, folders: { ...state.folders, [folder]: { ...before, shown: before.shown + PAGE } } }
}

/** What a refresh lists again: the open folders, outermost first (a folder that went away closes its insides). */
export function openFolders(state: TreeState): string[] {
  return [...state.expanded].filter((path) => state.folders[path] !== undefined).sort((a, b) => a.split('/').length - b.split('/').length)
}

/** The open tree as the rows on screen, in order. */
export function treeRows(state: TreeState): TreeRow[] {
  const rows: TreeRow[] = []
  const walk = (folder: string, depth: number): void => {
    const listed = state.folders[folder]
    const status = (s: 'loading' | 'error' | 'empty', error?: CallError): void => {
      rows.push({ kind: 'status', id: `${folder}#${s}`, folder, depth, status: s, parent: folder, ...(error ? { error } : {}) })
    }
    if (listed === undefined || listed.entries === undefined) {
      if (listed?.status === 'error') status('error', listed.error)
      else status('loading')
      return
    }
    if (listed.status === 'error') status('error', listed.error)
    if (listed.entries.length === 0) status('empty')
    for (const entry of listed.entries.slice(0, listed.shown)) {
      const expandable = entry.type === 'dir'
      const expanded = expandable && state.expanded.has(entry.path)
      const generated = expandable ? GENERATED[entry.name] : undefined
      rows.push({ kind: 'entry', id: entry.path, entry, depth, parent: folder, expandable, expanded, hidden: entry.name.startsWith('.'), ...(generated ? { generated } : {}) })
      if (expanded) walk(entry.path, depth + 1)
    }
    const remaining = listed.entries.length - listed.shown
    if (remaining > 0) rows.push({ kind: 'more', id: `${folder}#more`, folder, depth, remaining, parent: folder })
  }
  if (state.expanded.has(ROOT)) walk(ROOT, 0)
  return rows
}

/** What a key does on a row: where the focus goes, a folder to open or close, a file to show, more to show, an entry to rename or remove. */
export type KeyAction = { focus: number } | { toggle: string } | { open: string } | { more: string } | { rename: string } | { remove: string } | undefined

/** The WAI-ARIA tree pattern's keys (arrows, Home, End, Enter, Space) on the row at `index`, and F2 and Delete as file managers have them. */
export function keyAction(rows: readonly TreeRow[], index: number, key: string): KeyAction {
  const row = rows[index]
  if (row === undefined) return rows.length > 0 ? { focus: 0 } : undefined
  const parentIndex = (): number => rows.findIndex((r) => r.kind === 'entry' && r.entry.path === row.parent)
  switch (key) {
    case 'ArrowDown':
      return index < rows.length - 1 ? { focus: index + 1 } : undefined
    case 'ArrowUp':
      return index > 0 ? { focus: index - 1 } : undefined
    case 'Home':
      return { focus: 0 }
    case 'End':
      return { focus: rows.length - 1 }
    case 'ArrowRight':
      if (row.kind !== 'entry' || !row.expandable) return undefined
      return row.expanded ? (index < rows.length - 1 ? { focus: index + 1 } : undefined) : { toggle: row.entry.path }
    case 'ArrowLeft': {
      if (row.kind === 'entry' && row.expanded) return { toggle: row.entry.path }
      const parent = parentIndex()
      return parent >= 0 ? { focus: parent } : undefined
    }
    case 'Enter':
    case ' ':
      if (row.kind === 'more') return { more: row.folder }
      if (row.kind !== 'entry') return undefined
      return row.expandable ? { toggle: row.entry.path } : { open: row.entry.path }
    case 'F2':
      return row.kind === 'entry' ? { rename: row.entry.path } : undefined
    case 'Delete':
      return row.kind === 'entry' ? { remove: row.entry.path } : undefined
    default:
      return undefined
  }
}

/** The folder something dropped on a row goes into: a folder itself, else the folder the row is in. */
export function dropFolder(row: TreeRow | undefined): string {
  if (row === undefined) return ROOT
  return row.kind === 'entry' && row.expandable ? row.entry.path : row.parent
}

/** The entry a path names, if its folder is listed. */
export function entryAt(state: TreeState, path: string): FileEntry | undefined {
  return state.folders[parentOf(path)]?.entries?.find((e) => e.path === path)
}

/** What is wrong with a name for a new or renamed entry of a folder whose names are `taken`; nothing while empty. */
export function entryNameProblem(name: string, taken: readonly string[]): string | undefined {
  if (name === '') return undefined
  if (name.includes('/') || name.includes('\0')) return 'A name cannot contain / (that would be a path) or a NUL character.'
  if (name === '.' || name === '..') return 'A name cannot be . or .., which name folders that are there already.'
  if (name.trim() !== name) return 'A name cannot start or end with a space.'
  if (new TextEncoder().encode(name).length > 255) return 'A name can be at most 255 bytes long.'
  if (taken.includes(name)) return `${name} already exists here: choose another name.`
  return undefined
}

/** The names in a listed folder (none while it is not listed). */
export function namesIn(state: TreeState, folder: string): string[] {
  return state.folders[folder]?.entries?.map((e) => e.name) ?? []
}

/** Whether `path` is `target` or inside it: a selection that goes with a renamed or removed entry. */
export function isAtOrInside(path: string, target: string): boolean {
  return path === target || isInside(path, target)
}

export function parentOf(path: string): string {
  const cut = path.lastIndexOf('/')
  return cut <= 0 ? '/' : path.slice(0, cut)
}

function isInside(path: string, folder: string): boolean {
  return path.startsWith(`${folder}/`)
}

/** The child of `folder` on the way to `path`. */
function ancestorIn(path: string, folder: string): string {
  return `${folder}/${path.slice(folder.length + 1).split('/')[0]}`
}

/** The folders to open to show `file`, outermost first: `/app/src/a/b.js` → `/app/src`, `/app/src/a` (/app is always open). */
export function ancestorsOf(file: string): string[] {
  const folders: string[] = []
  for (let folder = parentOf(file); folder !== ROOT && folder.startsWith(`${ROOT}/`); folder = parentOf(folder)) folders.unshift(folder)
  return folders
}
