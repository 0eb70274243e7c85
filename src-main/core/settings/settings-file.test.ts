import { mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { readSettings, updateSettings } from './settings-file'

function file(content?: string): string {
  const path = join(mkdtempSync(join(tmpdir(), 'sandlot-settings-')), 'settings.json')
  if (content !== undefined) writeFileSync(path, content)
  return path
}

describe('settings file', () => {
  it('uses defaults when the file is missing', () => {
    const view = readSettings(file())
    expect(view.settings.appearance.theme).toBe('system')
    expect(view.problems).toEqual([])
  })

  it('keeps good values, reports bad and unknown ones, and defaults the bad', () => {
    const view = readSettings(
      file(JSON.stringify({ appearance: { theme: 'purple' }, engine: { host: 'tcp://10.0.0.2:2376', colour: 1 }, extra: true }))
    )
    expect(view.settings.engine.host).toBe('tcp://10.0.0.2:2376')
    expect(view.settings.appearance.theme).toBe('system')
    expect(view.problems.map((p) => p.path).sort()).toEqual(['appearance.theme', 'engine.colour', 'extra'])
    expect(view.problems.find((p) => p.path === 'appearance.theme')?.message).toMatch(/default kept/)
  })

  it('reports a file that is not JSON and falls back to defaults', () => {
    const view = readSettings(file('{ not json'))
    expect(view.problems).toHaveLength(1)
    expect(view.problems[0]?.message).toMatch(/not readable as JSON/)
    expect(view.settings.appearance.theme).toBe('system')
  })

  it('writes a validated patch atomically, private to the user, and removes values given null', () => {
    const path = file()
    updateSettings(path, { engine: { host: 'unix:///tmp/d.sock' }, appearance: { theme: 'dark' } })
    expect(JSON.parse(readFileSync(path, 'utf8')).engine.host).toBe('unix:///tmp/d.sock')
    expect(statSync(path).mode & 0o077).toBe(0)
    const view = updateSettings(path, { engine: { host: null } })
    expect(view.settings.engine.host).toBeUndefined()
    expect(view.settings.appearance.theme).toBe('dark')
  })

  it('refuses a bad patch and changes nothing', () => {
    const path = file(JSON.stringify({ appearance: { theme: 'light' } }))
    const before = readFileSync(path, 'utf8')
    expect(() => updateSettings(path, { appearance: { theme: 'neon' } })).toThrow(/Invalid settings/)
    expect(() => updateSettings(path, { engine: { host: 'localhost' } })).toThrow(/Docker URL/)
    expect(() => updateSettings(path, { nonsense: 1 })).toThrow(/Invalid settings/)
    expect(readFileSync(path, 'utf8')).toBe(before)
  })

  it('accepts keys written dotted, as the README spells them, merged with nested ones', () => {
    const view = readSettings(file(JSON.stringify({ 'image.base': 'sandlot/base-offline:22-bookworm', pool: { maxConcurrentCreates: 3 }, 'pool.size': 0 })))
    expect(view.problems).toEqual([])
    expect(view.settings.image.base).toBe('sandlot/base-offline:22-bookworm')
    expect(view.settings.pool).toEqual({ size: 0, maxConcurrentCreates: 3 })
  })

  it('names the line of each problem, and of a syntax error', () => {
    const view = readSettings(file('{\n  "appearance": {\n    "theme": "neon"\n  },\n  "pool.sise": 2\n}\n'))
    expect(view.problems).toEqual([
      { path: 'pool.sise', message: 'unknown setting; ignored', line: 5 },
      expect.objectContaining({ path: 'appearance.theme', line: 3, message: expect.stringMatching(/default kept$/) })
    ])
    const broken = readSettings(file('{\n  "pool": { "size": 2 },\n  "image": \n}\n'))
    expect(broken.problems).toEqual([expect.objectContaining({ path: '', line: 4, message: expect.stringMatching(/^not readable as JSON .*all defaults used$/) })])
  })

  it('refuses to write over a file that is not JSON, naming its line', () => {
    const path = file('{\n  "pool": { "size": 2 },,\n}\n')
    const before = readFileSync(path, 'utf8')
    expect(() => updateSettings(path, { pool: { size: 3 } })).toThrow(/line 2.*not readable as JSON/)
    expect(readFileSync(path, 'utf8')).toBe(before)
  })

  it('refuses to write over a settings.json it cannot read (here a folder), writing nothing', () => {
    const path = file()
    mkdirSync(path)
    expect(readSettings(path).problems).toEqual([expect.objectContaining({ path: '', message: expect.stringMatching(/^not readable \(/) })])
    expect(() => updateSettings(path, { pool: { size: 3 } })).toThrow(/not readable/)
    expect(statSync(path).isDirectory()).toBe(true)
    expect(readdirSync(dirname(path))).toEqual(['settings.json'])
    expect(readdirSync(path)).toEqual([])
  })

  it('changes only the keys a patch gives, even where the patch schema would fill in defaults', () => {
    const path = file()
    updateSettings(path, { history: { logLinesPerWorkspace: 100_000_000 } })
    updateSettings(path, { history: { logDays: 3650 } })
    expect(readSettings(path).settings.history).toMatchObject({ logLinesPerWorkspace: 100_000_000, logDays: 3650 })
  })
})
