import { chmodSync, existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, readlinkSync, statSync, symlinkSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { folderWith, manifest, writeFiles } from './testing/template-folders'
import { locateBuiltinTemplates, TemplateCatalog } from './template-catalog'

/** A catalog over a temporary resources folder (two built-ins) and an empty data folder. */
function catalog() {
  const resources = folderWith({
    'templates/alpha/template.json': manifest({ id: 'alpha', name: 'Alpha', description: 'First', icon: '🅰️' }),
    'templates/alpha/package.json': '{}',
    'templates/alpha/package-lock.json': '{}',
    'templates/beta/template.json': manifest({ id: 'beta', name: 'Beta', start: undefined, port: undefined }),
    'templates/README.md': 'not a template'
  })
  // As ensureDataFolder leaves it.
  const userDir = join(folderWith(), 'templates')
  mkdirSync(userDir)
  return { catalog: new TemplateCatalog({ builtinDir: () => join(resources, 'templates'), userDir }), userDir }
}

const project = () =>
  folderWith({
    'template.json': manifest({ id: 'mine', name: 'Mine' }),
    'server.js': 'console.log(1)',
    'src/a.js': 'a',
    'node_modules/x/index.js': 'skipped'
  })

describe('the template catalog', () => {
  it('lists built-ins, then user templates, ignoring files and hidden work folders', async () => {
    const { catalog: c, userDir } = catalog()
    await c.add(project())
    mkdirSync(join(userDir, '.adding-zzz-123'))
    expect(c.list()).toEqual([
      { id: 'alpha', name: 'Alpha', description: 'First', icon: '🅰️', source: 'builtin', packageManager: 'npm' },
      { id: 'beta', name: 'Beta', description: '', source: 'builtin' },
      { id: 'mine', name: 'Mine', description: '', source: 'user' }
    ])
  })

  it('gets a template by id: its folder and manifest, ready to pack', () => {
    const { catalog: c } = catalog()
    const alpha = c.get('alpha')
    expect(alpha).toMatchObject({ id: 'alpha', source: 'builtin', manifest: { id: 'alpha', start: 'node server.js', port: 3000 }, inferred: false })
    expect(existsSync(join(alpha.dir, 'template.json'))).toBe(true)
  })

  it('says NOT_FOUND for an unknown id and BAD_REQUEST for an id that is not one', () => {
    const { catalog: c } = catalog()
    expect(() => c.get('nope')).toThrow(expect.objectContaining({ code: 'NOT_FOUND', message: 'There is no template "nope".' }))
    // A typo is answered with the template meant.
    expect(() => c.get('alpah')).toThrow(expect.objectContaining({ code: 'NOT_FOUND', message: 'There is no template "alpah". Did you mean alpha?' }))
    expect(() => c.get('../alpha')).toThrow(expect.objectContaining({ code: 'BAD_REQUEST' }))
  })

  it('shows a template with what goes into /app', () => {
    const { catalog: c } = catalog()
    expect(c.show('alpha')).toMatchObject({ id: 'alpha', source: 'builtin', files: 2, bytes: 4, packageManager: 'npm', inferred: false, inferredFrom: {} })
  })

  it('adds a folder as a user template: a copy without node_modules, links kept as links, modes kept', async () => {
    const { catalog: c, userDir } = catalog()
    const source = project()
    symlinkSync('src/a.js', join(source, 'a-link.js'))
    chmodSync(join(source, 'server.js'), 0o750)
    const added = await c.add(source)
    expect(added).toMatchObject({ id: 'mine', source: 'user', dir: join(userDir, 'mine'), files: 2, replaced: false })
    expect(readdirSync(join(userDir, 'mine')).sort()).toEqual(['a-link.js', 'server.js', 'src', 'template.json'])
    expect(readlinkSync(join(userDir, 'mine', 'a-link.js'))).toBe('src/a.js')
    expect(statSync(join(userDir, 'mine', 'server.js')).mode & 0o777).toBe(0o750)
    expect(c.get('mine').manifest.name).toBe('Mine')
  })

  it('adds a plain project with an inferred manifest, under the id from its package name', async () => {
    const { catalog: c } = catalog()
    const source = folderWith({ 'package.json': { name: 'my-site', scripts: { dev: 'vite' }, devDependencies: { vite: '7' } }, 'package-lock.json': '{}' })
    const added = await c.add(source)
    expect(added).toMatchObject({ id: 'my-site', inferred: true, manifest: { install: 'npm ci', start: 'npm run dev', port: 5173 } })
    expect(added.inferredFrom).toMatchObject({ id: 'package.json name', install: 'package-lock.json', port: 'vite in devDependencies' })
    expect(c.get('my-site').inferredFrom.id).toBe('its folder name')
  })

  it('refuses an id of a built-in, even with replace', async () => {
    const { catalog: c, userDir } = catalog()
    const clash = folderWith({ 'template.json': manifest({ id: 'alpha' }) })
    for (const replace of [false, true]) {
      await expect(c.add(clash, { replace })).rejects.toMatchObject({ code: 'CONFLICT', message: '"alpha" is a built-in template\'s id.' })
    }
    expect(readdirSync(userDir)).toEqual([])
  })

  it('refuses an existing user id unless asked to replace it, and then replaces it whole', async () => {
    const { catalog: c, userDir } = catalog()
    await c.add(project())
    const second = folderWith({ 'template.json': manifest({ id: 'mine', name: 'Mine 2' }), 'other.js': '' })
    await expect(c.add(second)).rejects.toMatchObject({ code: 'CONFLICT', hint: expect.stringMatching(/--replace/) })
    expect(c.get('mine').manifest.name).toBe('Mine')
    const replaced = await c.add(second, { replace: true })
    expect(replaced).toMatchObject({ replaced: true, manifest: { name: 'Mine 2' } })
    expect(readdirSync(join(userDir, 'mine')).sort()).toEqual(['other.js', 'template.json'])
    expect(readdirSync(userDir)).toEqual(['mine'])
  })

  it('leaves nothing behind when a template fails its checks', async () => {
    const { catalog: c, userDir } = catalog()
    await expect(c.add(folderWith({ 'template.json': manifest({ port: 0 }) }))).rejects.toMatchObject({ code: 'BAD_REQUEST' })
    const linked = folderWith({ 'template.json': manifest(), 'a.js': '' })
    symlinkSync('/etc/passwd', join(linked, 'passwd'))
    await expect(c.add(linked)).rejects.toThrow(/is a link to an absolute path/)
    const tooBig = new TemplateCatalog({ builtinDir: () => folderWith(), userDir, limits: { maxEntries: 1, maxBytes: 100 } })
    await expect(tooBig.add(project())).rejects.toThrow(/more than 1 files/)
    expect(readdirSync(userDir)).toEqual([])
  })

  it('removes a user template, not a built-in one', async () => {
    const { catalog: c, userDir } = catalog()
    await c.add(project())
    expect(c.remove('mine')).toEqual({ id: 'mine', removed: true })
    expect(readdirSync(userDir)).toEqual([])
    expect(() => c.remove('mine')).toThrow(expect.objectContaining({ code: 'NOT_FOUND' }))
    expect(() => c.remove('alpha')).toThrow(expect.objectContaining({ code: 'BAD_REQUEST', message: '"alpha" is a built-in template; built-in templates cannot be removed.' }))
  })

  it('lists a user template that no longer loads with its problem, and can still remove it', async () => {
    const { catalog: c, userDir } = catalog()
    await c.add(project())
    writeFileSync(join(userDir, 'mine', 'template.json'), JSON.stringify(manifest({ id: 'mine', prot: 1 })))
    expect(c.list().find((t) => t.id === 'mine')).toMatchObject({ source: 'user', problem: expect.stringMatching(/unknown key "prot"/) })
    expect(() => c.get('mine')).toThrow(/unknown key "prot"/)
    expect(c.remove('mine').removed).toBe(true)
  })

  it('treats a link in the data folder as no template', () => {
    const { catalog: c, userDir } = catalog()
    symlinkSync(project(), join(userDir, 'linked'))
    expect(lstatSync(join(userDir, 'linked')).isSymbolicLink()).toBe(true)
    expect(c.list().map((t) => t.id)).not.toContain('linked')
    expect(() => c.get('linked')).toThrow(expect.objectContaining({ code: 'NOT_FOUND' }))
  })

  it('reports a folder with a built-in id in the data folder instead of using it', () => {
    const { catalog: c, userDir } = catalog()
    writeFiles(join(userDir, 'alpha'), { 'template.json': manifest({ id: 'alpha', name: 'Fake' }) })
    expect(c.list().filter((t) => t.id === 'alpha')).toEqual([
      expect.objectContaining({ source: 'builtin', name: 'Alpha' }),
      expect.objectContaining({ source: 'user', problem: expect.stringMatching(/id of a built-in template/) })
    ])
    expect(c.get('alpha').manifest.name).toBe('Alpha')
  })
})

describe('finding the built-in templates', () => {
  it('honours SANDLOT_RESOURCES_DIR, and finds resources/templates of this checkout otherwise', () => {
    expect(locateBuiltinTemplates({ SANDLOT_RESOURCES_DIR: '/opt/sandlot/resources' })).toBe('/opt/sandlot/resources/templates')
    const found = locateBuiltinTemplates({})
    expect(found).toMatch(/resources[/\\]templates$/)
    expect(readFileSync(join(found, 'README.md'), 'utf8')).toMatch(/template.json/)
  })
})
