import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { folderWith, manifest } from './testing/template-folders'
import { loadTemplateFolder } from './template-folder'
import { ICON_MAX_BYTES } from './template-icon'
import { parseTemplateManifest, TemplateProblems } from './template-manifest'

/** The problems parsing reports, one string each. */
function problems(raw: unknown): string[] {
  try {
    parseTemplateManifest(raw)
  } catch (err) {
    if (err instanceof TemplateProblems) return err.problems
    throw err
  }
  return []
}

describe('template.json validation', () => {
  it('accepts a full manifest and keeps every field', () => {
    const full = {
      id: 'my-app-2',
      name: 'My app',
      description: 'An app',
      icon: '🚀',
      install: 'npm ci',
      start: 'npm run dev',
      port: 5173,
      readyPattern: 'ready in \\d+',
      env: { NODE_ENV: 'development', _X1: '' },
      limits: { memoryMb: 2048, cpus: 1.5, pids: 512 },
      restart: { policy: 'always', maxRestarts: 3, windowMs: 120_000, backoffMs: 500, backoffFactor: 1.5, maxBackoffMs: 10_000 }
    }
    expect(parseTemplateManifest(full)).toEqual(full)
  })

  it('needs only an id and a name: a shell template installs and starts nothing', () => {
    expect(parseTemplateManifest({ id: 'shell', name: 'Shell' })).toEqual({ id: 'shell', name: 'Shell' })
  })

  it('says which required field is missing', () => {
    expect(problems({})).toEqual(['template.json: "id": is required', 'template.json: "name": is required'])
  })

  it('refuses ids that are not CONVENTIONS.md names', () => {
    for (const id of ['My-App', '-app', 'a_b', 'a'.repeat(64), '', 'ä']) {
      expect(problems(manifest({ id }))).toEqual(['template.json: "id": must be 1 to 63 lowercase letters, digits and dashes, starting with a letter or digit'])
    }
    expect(problems(manifest({ id: 'a'.repeat(63) }))).toEqual([])
  })

  it('names an unknown key instead of dropping it, also inside limits', () => {
    expect(problems(manifest({ prot: 3000 }))).toEqual(['template.json: unknown key "prot"'])
    expect(problems(manifest({ limits: { memory: 1 } }))).toEqual(['template.json: unknown key "limits.memory"'])
  })

  it('says what is wrong with a restart policy', () => {
    expect(problems(manifest({ restart: { policy: 'sometimes' } }))).toEqual(['template.json: "restart.policy": must be one of on-failure, always, never'])
    expect(problems(manifest({ restart: { maxRestarts: -1, backoffMs: 1.5, backoff: 1 } }))).toEqual([
      'template.json: "restart.maxRestarts": must be a whole number from 0 to 1000',
      'template.json: "restart.backoffMs": must be a whole number of milliseconds from 0 to 86400000',
      'template.json: unknown key "restart.backoff"'
    ])
  })

  it('says a port must be a number from 1 to 65535', () => {
    for (const port of [0, 65_536, 80.5, '3000', -1]) {
      expect(problems(manifest({ port }))).toEqual(['template.json: "port": must be a number from 1 to 65535'])
    }
  })

  it('refuses a ready pattern that does not compile', () => {
    expect(problems(manifest({ readyPattern: 'ready (in' }))).toEqual(['template.json: "readyPattern": is not a valid regular expression'])
    expect(problems(manifest({ readyPattern: '' }))).toEqual(['template.json: "readyPattern": must be a regular expression string'])
  })

  it('checks environment names as the monitor does, and that values are strings', () => {
    expect(problems(manifest({ env: { '1BAD': 'x' } }))).toEqual([
      'template.json: "env.1BAD": environment variable names are letters, digits and _, not starting with a digit'
    ])
    expect(problems(manifest({ env: { 'MY-VAR': 'x' } }))[0]).toMatch(/^template.json: "env.MY-VAR": environment variable names/)
    expect(problems(manifest({ env: { PORT: 3000 } }))).toEqual(['template.json: "env.PORT": must be a string'])
    expect(problems(manifest({ env: ['A=1'] }))).toEqual(['template.json: "env": must be an object of NAME: "value" pairs'])
  })

  it('refuses a NUL character in an environment value, naming the variable (it would fail the create later)', () => {
    expect(problems(manifest({ env: { OK: 'fine', SECRET: 'abc\u0000def' } }))).toEqual([
      'template.json: "env.SECRET": must not contain a NUL character (\\u0000): environment values end at the first one'
    ])
    // As a user writes it: the JSON escape in a template.json on disk.
    const dir = folderWith({ 'template.json': '{"id":"demo","name":"Demo","start":"node server.js","env":{"TOKEN":"a\\u0000b"}}' })
    expect(() => loadTemplateFolder(dir)).toThrow(/env\.TOKEN.*NUL/)
  })

  it('bounds each limit and says the range', () => {
    expect(problems(manifest({ limits: { memoryMb: 64 } }))).toEqual(['template.json: "limits.memoryMb": must be a whole number of megabytes from 128 to 65536'])
    expect(problems(manifest({ limits: { cpus: 100 } }))).toEqual(['template.json: "limits.cpus": must be a number of CPUs from 0.25 to 64'])
    expect(problems(manifest({ limits: { pids: 10.5 } }))).toEqual(['template.json: "limits.pids": must be a whole number of processes from 64 to 32768'])
  })

  it('refuses empty or oversized commands, names and descriptions', () => {
    expect(problems(manifest({ install: '' }))).toEqual(['template.json: "install": must be a non-empty shell command'])
    expect(problems(manifest({ start: 42 }))).toEqual(['template.json: "start": must be a non-empty shell command'])
    expect(problems(manifest({ name: 'n'.repeat(81) }))).toEqual(['template.json: "name": must be a name of 1 to 80 characters'])
    expect(problems(manifest({ description: 'd'.repeat(501) }))).toEqual(['template.json: "description": must be a text of at most 500 characters'])
  })

  it('takes an emoji or an image path inside the template as the icon, nothing else', () => {
    expect(problems(manifest({ icon: '👨‍👩‍👧‍👦' }))).toEqual([])
    expect(problems(manifest({ icon: 'assets/logo.svg' }))).toEqual([])
    for (const icon of ['a very long text icon', '../logo.png', '/etc/logo.png', 'a\\logo.png', '']) {
      expect(problems(manifest({ icon }))[0]).toMatch(/^template.json: "icon": must be a short text or emoji/)
    }
  })

  it('reports every problem at once', () => {
    expect(problems({ id: 'X', name: 'n', port: 0, extra: true })).toHaveLength(3)
  })

  it('says when the file is not an object', () => {
    expect(problems([])).toEqual(['template.json: must be a JSON object'])
    expect(problems(null)).toEqual(['template.json: must be a JSON object'])
  })
})

describe('loading a template folder', () => {
  it('turns problems into one BAD_REQUEST naming the folder and each problem', () => {
    const dir = folderWith({ 'template.json': manifest({ port: 70_000, prot: 1 }) })
    expect(() => loadTemplateFolder(dir)).toThrow(
      expect.objectContaining({
        code: 'BAD_REQUEST',
        message: `The template in ${dir} is not valid:\n  template.json: "port": must be a number from 1 to 65535\n  template.json: unknown key "prot"`,
        hint: expect.stringMatching(/never installed/)
      })
    )
  })

  it('says where JSON is malformed', () => {
    const dir = folderWith({ 'template.json': '{ "id": "x", }' })
    expect(() => loadTemplateFolder(dir)).toThrow(/template.json: is not valid JSON/)
  })

  it('never follows a template.json that is a link', () => {
    const dir = folderWith({ 'real.json': manifest() })
    symlinkSync('real.json', join(dir, 'template.json'))
    expect(() => loadTemplateFolder(dir)).toThrow(/template.json: is a link, and links are never followed/)
  })

  it('needs an icon file to exist as a file', () => {
    const dir = folderWith({ 'template.json': manifest({ icon: 'logo.svg' }) })
    expect(() => loadTemplateFolder(dir)).toThrow(/"icon": logo.svg is not a file in the template/)
    writeFileSync(join(dir, 'logo.svg'), '<svg/>')
    expect(loadTemplateFolder(dir).manifest.icon).toBe('logo.svg')
  })

  it('carries an icon file as a data: URL, and no image for a text icon', () => {
    const dir = folderWith({ 'template.json': manifest({ icon: 'art/logo.svg' }), 'art/logo.svg': '<svg/>' })
    expect(loadTemplateFolder(dir).iconImage).toBe(`data:image/svg+xml;base64,${Buffer.from('<svg/>').toString('base64')}`)
    const text = folderWith({ 'template.json': manifest({ icon: 'AB' }) })
    expect(loadTemplateFolder(text).iconImage).toBeUndefined()
  })

  it('refuses an icon that is too large, a folder, or reached through a link', () => {
    const big = folderWith({ 'template.json': manifest({ icon: 'logo.png' }), 'logo.png': 'x'.repeat(ICON_MAX_BYTES + 1) })
    expect(() => loadTemplateFolder(big)).toThrow(/"icon": logo.png is larger than 65536 bytes/)
    const folder = folderWith({ 'template.json': manifest({ icon: 'logo.svg' }), 'logo.svg/inner': '' })
    expect(() => loadTemplateFolder(folder)).toThrow(/"icon": logo.svg is not a regular file/)
    const outside = folderWith({ 'logo.svg': '<svg/>' })
    const linked = folderWith({ 'template.json': manifest({ icon: 'art/logo.svg' }) })
    symlinkSync(outside, join(linked, 'art'))
    expect(() => loadTemplateFolder(linked)).toThrow(/"icon": art\/logo.svg is reached through art, which is a link/)
  })

  it('holds an installed template to the id of its folder', () => {
    const dir = folderWith({ 'template.json': manifest({ id: 'demo' }) })
    expect(() => loadTemplateFolder(dir, 'other')).toThrow(/"id" is "demo", but the template is installed as "other"/)
  })

  it('says a file is not a folder, and NOT_FOUND for a path with nothing there', () => {
    const dir = folderWith({ 'file.txt': 'x' })
    mkdirSync(join(dir, 'empty'))
    expect(() => loadTemplateFolder(join(dir, 'file.txt'))).toThrow(expect.objectContaining({ code: 'BAD_REQUEST', message: `${join(dir, 'file.txt')} is a file, not a folder.`, hint: expect.stringContaining(dir) }))
    expect(() => loadTemplateFolder(join(dir, 'missing'))).toThrow(expect.objectContaining({ code: 'NOT_FOUND' }))
    expect(() => loadTemplateFolder(join(dir, 'empty'))).toThrow(/no template.json, no package.json and no devcontainer.json/)
  })
})
