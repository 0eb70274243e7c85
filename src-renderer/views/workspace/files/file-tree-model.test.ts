import { describe, expect, it } from 'vitest'
import type { FileEntry } from '../../../../src-main/core/contract'
import { ancestorsOf, dropFolder, emptyTree, entryNameProblem, isAtOrInside, keyAction, namesIn, needsListing, openFolders, PAGE, ROOT, showMore, sortEntries, toggle, treeRows, withError, withListing, withLoading, type TreeRow, type TreeState } from './file-tree-model'

const at = '2026-12-03T10:00:00.000Z'
const file = (path: string, size = 10): FileEntry => ({ name: path.slice(path.lastIndexOf('/') + 1), path, type: 'file', size, modified: at })
const dir = (path: string): FileEntry => ({ ...file(path, 4096), type: 'dir' })

/** What a row shows, in a word: its indent, name and state. */
const outline = (rows: readonly TreeRow[]): string[] =>
  rows.map((r) => {
    const pad = '  '.repeat(r.depth)
    if (r.kind === 'more') return `${pad}+${r.remaining}`
    if (r.kind === 'status') return `${pad}(${r.status})`
    return `${pad}${r.entry.name}${r.expandable ? (r.expanded ? '/ v' : '/') : ''}${r.hidden ? ' hidden' : ''}${r.generated ? ` [${r.generated}]` : ''}`
  })

const root = [file('/app/b10.txt'), file('/app/B2.txt'), dir('/app/src'), file('/app/.env'), dir('/app/node_modules'), dir('/app/.git')]

describe('the file tree', () => {
  it('says it is loading until /app is listed, then shows folders first, names in natural order, dotfiles marked', () => {
    expect(outline(treeRows(emptyTree))).toEqual(['(loading)'])
    const state = withListing(emptyTree, ROOT, root)
    expect(outline(treeRows(state))).toEqual(['.git/ hidden [git data]', 'node_modules/ [packages]', 'src/', '.env hidden', 'B2.txt', 'b10.txt'])
  })

  it('opens a folder on demand: listed once, closed and opened again without asking', () => {
    let state = withListing(emptyTree, ROOT, root)
    state = toggle(state, '/app/src')
    expect(needsListing(state, '/app/src')).toBe(true)
    expect(outline(treeRows(withLoading(state, '/app/src')))).toContain('  (loading)')
    state = withListing(state, '/app/src', [file('/app/src/main.ts'), dir('/app/src/lib')])
    expect(outline(treeRows(state)).slice(2, 6)).toEqual(['src/ v', '  lib/', '  main.ts', '.env hidden'])
    state = toggle(state, '/app/src')
    expect(outline(treeRows(state))).not.toContain('  main.ts')
    state = toggle(state, '/app/src')
    expect(needsListing(state, '/app/src')).toBe(false)
  })

  it('shows an empty folder and a failed listing as such, keeping what was shown before a failed refresh', () => {
    let state = withListing(toggle(withListing(emptyTree, ROOT, root), '/app/src'), '/app/src', [])
    expect(outline(treeRows(state))).toContain('  (empty)')
    state = withError(state, ROOT, { code: 'INTERNAL', message: 'the container stopped' })
    const rows = treeRows(state)
    expect(rows[0]).toMatchObject({ kind: 'status', status: 'error', error: { message: 'the container stopped' } })
    expect(outline(rows)).toContain('src/ v')
  })

  it('forgets the insides of a folder that went away, and lists the open folders outermost first on refresh', () => {
    let state = withListing(emptyTree, ROOT, root)
    state = withListing(toggle(state, '/app/src'), '/app/src', [dir('/app/src/lib')])
    state = withListing(toggle(state, '/app/src/lib'), '/app/src/lib', [file('/app/src/lib/a.ts')])
    expect(openFolders(state)).toEqual([ROOT, '/app/src', '/app/src/lib'])
    state = withListing(state, ROOT, root.filter((e) => e.name !== 'src'))
    expect(openFolders(state)).toEqual([ROOT])
    expect(state.folders['/app/src/lib']).toBeUndefined()
  })

  it('caps a long folder with a "more" row that shows the next page', () => {
    const many = Array.from({ length: PAGE * 2 + 5 }, (_, i) => file(`/app/f${i}`))
    let state = withListing(emptyTree, ROOT, many)
    let rows = treeRows(state)
    expect(rows).toHaveLength(PAGE + 1)
    expect(rows.at(-1)).toMatchObject({ kind: 'more', folder: ROOT, remaining: PAGE + 5 })
    state = showMore(state, ROOT)
    rows = treeRows(state)
    expect(rows.at(-1)).toMatchObject({ kind: 'more', remaining: 5 })
    // A refresh keeps what was shown.
    expect(treeRows(withListing(state, ROOT, many))).toHaveLength(PAGE * 2 + 1)
  })

  it('sorts folders before files and numbers by their value', () => {
    expect(sortEntries([file('/app/a10'), file('/app/a9'), dir('/app/z')]).map((e) => e.name)).toEqual(['z', 'a9', 'a10'])
  })
})

describe('keys on the tree (the WAI-ARIA tree pattern)', () => {
  let state: TreeState = withListing(emptyTree, ROOT, [dir('/app/src'), file('/app/z.txt')])
  state = withListing(toggle(state, '/app/src'), '/app/src', [file('/app/src/a.ts')])
  const rows = treeRows(state) // src/ v, a.ts, z.txt

  it('moves up and down, to the first and the last', () => {
    expect(keyAction(rows, 0, 'ArrowDown')).toEqual({ focus: 1 })
    expect(keyAction(rows, 2, 'ArrowDown')).toBeUndefined()
    expect(keyAction(rows, 1, 'ArrowUp')).toEqual({ focus: 0 })
    expect(keyAction(rows, 0, 'ArrowUp')).toBeUndefined()
    expect(keyAction(rows, 1, 'End')).toEqual({ focus: 2 })
    expect(keyAction(rows, 2, 'Home')).toEqual({ focus: 0 })
  })

  it('opens with Right (then goes in), closes with Left (or goes to the parent)', () => {
    expect(keyAction(rows, 0, 'ArrowRight')).toEqual({ focus: 1 })
    expect(keyAction(treeRows(toggle(state, '/app/src')), 0, 'ArrowRight')).toEqual({ toggle: '/app/src' })
    expect(keyAction(rows, 0, 'ArrowLeft')).toEqual({ toggle: '/app/src' })
    expect(keyAction(rows, 1, 'ArrowLeft')).toEqual({ focus: 0 })
    expect(keyAction(rows, 2, 'ArrowLeft')).toBeUndefined()
    expect(keyAction(rows, 2, 'ArrowRight')).toBeUndefined()
  })

  it('shows a file or toggles a folder with Enter and Space, shows more on a "more" row', () => {
    expect(keyAction(rows, 1, 'Enter')).toEqual({ open: '/app/src/a.ts' })
    expect(keyAction(rows, 0, ' ')).toEqual({ toggle: '/app/src' })
    const capped = treeRows(withListing(emptyTree, ROOT, Array.from({ length: PAGE + 1 }, (_, i) => file(`/app/f${i}`))))
    expect(keyAction(capped, PAGE, 'Enter')).toEqual({ more: ROOT })
    expect(keyAction(rows, 0, 'a')).toBeUndefined()
  })

  it('renames an entry with F2 and removes it with Delete, never a "more" or status row', () => {
    expect(keyAction(rows, 0, 'F2')).toEqual({ rename: '/app/src' })
    expect(keyAction(rows, 1, 'Delete')).toEqual({ remove: '/app/src/a.ts' })
    const capped = treeRows(withListing(emptyTree, ROOT, Array.from({ length: PAGE + 1 }, (_, i) => file(`/app/f${i}`))))
    expect(keyAction(capped, PAGE, 'Delete')).toBeUndefined()
    expect(keyAction(treeRows(withListing(emptyTree, ROOT, [])), 0, 'F2')).toBeUndefined()
  })

  it('drops into a folder, into the folder of a file, or into /app', () => {
    expect(dropFolder(rows[0])).toBe('/app/src')
    expect(dropFolder(rows[1])).toBe('/app/src')
    expect(dropFolder(rows[2])).toBe(ROOT)
    expect(dropFolder(undefined)).toBe(ROOT)
  })
})

describe('names for a new folder or a rename', () => {
  const state = withListing(emptyTree, ROOT, [dir('/app/src'), file('/app/z.txt')])

  it('are one free name of the folder, said plainly when not', () => {
    const taken = namesIn(state, ROOT)
    expect(taken).toEqual(['src', 'z.txt'])
    expect(namesIn(state, '/app/src')).toEqual([])
    expect(entryNameProblem('', taken)).toBeUndefined()
    expect(entryNameProblem('lib', taken)).toBeUndefined()
    expect(entryNameProblem('src', taken)).toBe('src already exists here: choose another name.')
    expect(entryNameProblem('a/b', taken)).toMatch(/cannot contain \//)
    expect(entryNameProblem('a\0b', taken)).toMatch(/NUL/)
    expect(entryNameProblem('..', taken)).toMatch(/cannot be \. or \.\./)
    expect(entryNameProblem(' lib', taken)).toMatch(/space/)
    expect(entryNameProblem('é'.repeat(128), taken)).toMatch(/255 bytes/)
    expect(entryNameProblem('é'.repeat(127), taken)).toBeUndefined()
  })

  it('let go of a selection at or inside what was renamed or removed, and only that', () => {
    expect(isAtOrInside('/app/src', '/app/src')).toBe(true)
    expect(isAtOrInside('/app/src/a.ts', '/app/src')).toBe(true)
    expect(isAtOrInside('/app/src2/a.ts', '/app/src')).toBe(false)
  })
})

describe('ancestorsOf', () => {
  it('lists the folders to open for a file, outermost first, /app left out', () => {
    expect(ancestorsOf('/app/src/a/b.js')).toEqual(['/app/src', '/app/src/a'])
    expect(ancestorsOf('/app/app.js')).toEqual([])
  })
})
