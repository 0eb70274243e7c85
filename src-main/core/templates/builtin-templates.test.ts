import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { extract } from 'tar-stream'
import { describe, expect, it } from 'vitest'
import { locateBuiltinTemplates } from './template-catalog'
import { packTemplate } from './template-archive'
import { loadTemplateFolder } from './template-folder'

const root = locateBuiltinTemplates({})
const ids = readdirSync(root, { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => entry.name)

async function packedNames(dir: string): Promise<string[]> {
  const input = extract()
  packTemplate(dir).stream.pipe(input as unknown as NodeJS.WritableStream)
  const names: string[] = []
  for await (const entry of input) {
    names.push(entry.header.name)
    entry.resume()
  }
  return names
}

const json = (path: string) => JSON.parse(readFileSync(path, 'utf8'))

describe('the built-in templates', () => {
  it('are the React app, the Node API and the shell', () => {
    expect(ids.sort()).toEqual(['node-api', 'react-vite-ts', 'shell'])
  })

  it.each(ids)('%s has a valid template.json whose id is its folder name, and packs', async (id) => {
    const template = loadTemplateFolder(join(root, id), id)
    expect(template.inferred).toBe(false)
    const names = await packedNames(join(root, id))
    expect(names.length).toBeGreaterThan(0)
    expect(names).not.toContain('template.json')
  })

  // Emoji render as empty boxes on desktops without an emoji font: the built-ins ship their icons as SVG files.
  it.each(ids)('%s has an SVG icon file, shown as an image', (id) => {
    const template = loadTemplateFolder(join(root, id), id)
    expect(template.manifest.icon).toMatch(/\.svg$/)
    expect(readFileSync(join(root, id, template.manifest.icon!), 'utf8')).toMatch(/^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/)
    expect(template.iconImage).toMatch(/^data:image\/svg\+xml;base64,/)
  })

  it('react-vite-ts installs exactly what its lockfile pins, integrity-checked, and Vite keeps its port', () => {
    const dir = join(root, 'react-vite-ts')
    const { manifest } = loadTemplateFolder(dir)
    expect(manifest).toMatchObject({ install: 'npm ci', start: 'npm run dev', port: 5173 })
    const pkg = json(join(dir, 'package.json'))
    const lock = json(join(dir, 'package-lock.json'))
    expect(lock.packages[''].dependencies).toEqual(pkg.dependencies)
    expect(lock.packages[''].devDependencies).toEqual(pkg.devDependencies)
    // Pinned, so every workspace of the template gets the same tree.
    for (const version of Object.values<string>({ ...pkg.dependencies, ...pkg.devDependencies })) expect(version).toMatch(/^\d+\.\d+\.\d+$/)
    // resolved + integrity: npm ci verifies each tarball and can take it from the shared cache without the network.
    for (const [path, entry] of Object.entries<{ resolved?: string; integrity?: string; link?: boolean }>(lock.packages)) {
      if (path === '') continue
      expect(entry.integrity, path).toMatch(/^sha512-/)
      expect(entry.resolved, path).toMatch(/^https:\/\/registry\.npmjs\.org\//)
    }
    const viteConfig = readFileSync(join(dir, 'vite.config.ts'), 'utf8')
    expect(viteConfig).toMatch(/port: 5173, strictPort: true/)
    expect(new RegExp(manifest.readyPattern!, 'i').test('  VITE v8.3.8  ready in 246 ms')).toBe(true)
  })

  it('node-api needs no install and says when it listens', () => {
    const dir = join(root, 'node-api')
    const { manifest } = loadTemplateFolder(dir)
    expect(manifest).toMatchObject({ start: 'npm run dev', port: 3000 })
    expect(manifest.install).toBeUndefined()
    const pkg = json(join(dir, 'package.json'))
    expect(pkg.dependencies ?? {}).toEqual({})
    expect(pkg.scripts.dev).toBe('node --watch server.js')
    expect(new RegExp(manifest.readyPattern!, 'i').test('Listening on http://localhost:3000')).toBe(true)
    expect(readFileSync(join(dir, 'server.js'), 'utf8')).toContain('console.log(`Listening on http://localhost:${port}`)')
  })

  it('shell installs and starts nothing', () => {
    const { manifest, packageManager } = loadTemplateFolder(join(root, 'shell'))
    expect([manifest.install, manifest.start, manifest.port, packageManager]).toEqual([undefined, undefined, undefined, undefined])
  })
})
