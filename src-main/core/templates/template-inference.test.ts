import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { folderWith } from './testing/template-folders'
import { detectPackageManager, inferTemplate, sanitizeId } from './template-inference'
import { TemplateProblems } from './template-manifest'

const vite = { name: 'web', scripts: { dev: 'vite', build: 'vite build' }, devDependencies: { vite: '^7.0.0' } }

describe('inferring a template from package.json', () => {
  it('installs with the lockfile it finds, and starts the dev script through that package manager', () => {
    const cases = [
      ['package-lock.json', 'npm', 'npm ci', 'npm run dev'],
      ['npm-shrinkwrap.json', 'npm', 'npm ci', 'npm run dev'],
      ['pnpm-lock.yaml', 'pnpm', 'pnpm install --frozen-lockfile', 'pnpm run dev'],
      ['yarn.lock', 'yarn', 'yarn install --frozen-lockfile', 'yarn run dev']
    ] as const
    for (const [lockfile, packageManager, install, start] of cases) {
      const inferred = inferTemplate(folderWith({ 'package.json': vite, [lockfile]: '' }))
      expect(inferred.packageManager).toBe(packageManager)
      expect(inferred.manifest).toMatchObject({ install, start })
      expect(inferred.origins).toMatchObject({ install: lockfile, start: 'package.json scripts.dev' })
    }
  })

  it('prefers npm when several lockfiles are present', () => {
    expect(inferTemplate(folderWith({ 'package.json': vite, 'yarn.lock': '', 'package-lock.json': '' })).manifest.install).toBe('npm ci')
  })

  it('runs npm install without a lockfile, and installs nothing without dependencies', () => {
    const unlocked = inferTemplate(folderWith({ 'package.json': vite }))
    expect(unlocked.manifest.install).toBe('npm install')
    expect(unlocked.origins.install).toBe('package.json without a lockfile')
    expect(inferTemplate(folderWith({ 'package.json': { name: 'bare', scripts: { start: 'node index.js' } } })).manifest.install).toBeUndefined()
  })

  it('refuses a bun-only project clearly', () => {
    expect(() => inferTemplate(folderWith({ 'package.json': vite, 'bun.lockb': '' }))).toThrow(/bun.lockb: bun is not supported.*package-lock.json/)
    expect(inferTemplate(folderWith({ 'package.json': vite, 'bun.lockb': '', 'package-lock.json': '' })).manifest.install).toBe('npm ci')
  })

  it('falls back to the start script, and starts nothing without either', () => {
    const start = inferTemplate(folderWith({ 'package.json': { name: 'api', scripts: { start: 'node server.js' } } }))
    expect(start.manifest.start).toBe('npm run start')
    expect(start.origins.start).toBe('package.json scripts.start')
    const none = inferTemplate(folderWith({ 'package.json': { name: 'lib', scripts: { test: 'vitest' } } }))
    expect(none.manifest.start).toBeUndefined()
    expect(none.manifest.port).toBeUndefined()
  })

  it('takes the port from the framework', () => {
    const cases: Array<[string, number, string]> = [
      ['vite', 5173, 'devDependencies'],
      ['next', 3000, 'dependencies'],
      ['astro', 4321, 'dependencies'],
      ['nuxt', 3000, 'dependencies'],
      ['@remix-run/dev', 5173, 'devDependencies'],
      ['@react-router/dev', 5173, 'devDependencies']
    ]
    for (const [dependency, port, field] of cases) {
      const inferred = inferTemplate(folderWith({ 'package.json': { name: 'x', scripts: { dev: 'run' }, [field]: { [dependency]: '1' } } }))
      expect(inferred.manifest.port).toBe(port)
      expect(inferred.origins.port).toBe(`${dependency} in ${field}`)
    }
  })

  it('knows Astro and Nuxt before the Vite they bring along', () => {
    const pkg = { name: 'x', scripts: { dev: 'astro dev' }, dependencies: { astro: '5', vite: '7' } }
    expect(inferTemplate(folderWith({ 'package.json': pkg })).manifest.port).toBe(4321)
  })

  it("prefers a port in the script's flags to the framework's default", () => {
    const flags: Array<[string, number, string]> = [
      ['vite --port 4000', 4000, '--port 4000'],
      ['vite --port=4100', 4100, '--port=4100'],
      ['next dev -p 4200', 4200, '-p 4200'],
      ['PORT=4300 node server.js', 4300, 'PORT=4300']
    ]
    for (const [dev, port, flag] of flags) {
      const inferred = inferTemplate(folderWith({ 'package.json': { name: 'x', scripts: { dev }, dependencies: { vite: '1', next: '1' } } }))
      expect(inferred.manifest.port).toBe(port)
      expect(inferred.origins.port).toBe(`"${flag}" in scripts.dev`)
    }
  })

  it('gives express or fastify a port only from the script', () => {
    const plain = { name: 'api', scripts: { dev: 'node --watch server.js' }, dependencies: { express: '5' } }
    expect(inferTemplate(folderWith({ 'package.json': plain })).manifest.port).toBeUndefined()
    const flagged = { ...plain, scripts: { dev: 'PORT=8080 node --watch server.js' } }
    expect(inferTemplate(folderWith({ 'package.json': flagged })).manifest.port).toBe(8080)
  })

  it('ignores a flag that is no port, such as tsc -p tsconfig.json or a port out of range', () => {
    const pkg = { name: 'x', scripts: { dev: 'tsc -p tsconfig.json && vite --port 99999' }, devDependencies: { vite: '7' } }
    expect(inferTemplate(folderWith({ 'package.json': pkg })).manifest.port).toBe(5173)
  })

  it('takes id and name from the package name, else from the folder', () => {
    const named = inferTemplate(folderWith({ 'package.json': { name: '@acme/Web_App', description: 'The web app' } }))
    expect(named.manifest).toMatchObject({ id: 'acme-web-app', name: '@acme/Web_App', description: 'The web app' })
    expect(named.origins).toMatchObject({ id: 'package.json name', name: 'package.json name', description: 'package.json description' })
    const folder = join(folderWith(), 'My Project')
    mkdirSync(folder)
    writeFileSync(join(folder, 'package.json'), '{}')
    const unnamed = inferTemplate(folder)
    expect(unnamed.manifest).toMatchObject({ id: 'my-project', name: 'My Project' })
    expect(unnamed.origins.id).toBe('folder name')
  })

  it('lets devcontainer.json override install, port and env', () => {
    const dir = folderWith({
      'package.json': vite,
      'package-lock.json': '',
      '.devcontainer/devcontainer.json': '{ "postCreateCommand": "npm ci && npm run codegen", "forwardPorts": [8080], "containerEnv": { "API": "x" }, }'
    })
    const inferred = inferTemplate(dir)
    expect(inferred.manifest).toMatchObject({ install: 'npm ci && npm run codegen', port: 8080, env: { API: 'x' }, start: 'npm run dev' })
    expect(inferred.origins).toMatchObject({
      install: '.devcontainer/devcontainer.json postCreateCommand',
      port: '.devcontainer/devcontainer.json forwardPorts',
      env: '.devcontainer/devcontainer.json containerEnv'
    })
  })

  it('makes a shell workspace of a folder with only a devcontainer.json, with its install, port and env', () => {
    const dir = folderWith({ 'main.py': '', '.devcontainer.json': '{ "postCreateCommand": "pip install -r requirements.txt", "forwardPorts": [8000], "containerEnv": { "MODE": "dev" } }' })
    const inferred = inferTemplate(dir)
    expect(inferred.manifest).toMatchObject({ install: 'pip install -r requirements.txt', port: 8000, env: { MODE: 'dev' } })
    expect(inferred.manifest.start).toBeUndefined()
    expect(inferred.packageManager).toBeUndefined()
    expect(inferred.origins.id).toBe('folder name')
  })

  it('reports a devcontainer.json that asks for another user', () => {
    const dir = folderWith({ 'package.json': vite, '.devcontainer/devcontainer.json': '{ "remoteUser": "vscode" }' })
    expect(() => inferTemplate(dir)).toThrow(/"remoteUser" is "vscode", but Sandlot runs every workspace as the user node \(uid 1000\)/)
  })

  it('says what is missing when there is no package.json, and what is wrong in a bad one', () => {
    expect(() => inferTemplate(folderWith({ 'index.js': '' }))).toThrow(/no template.json, no package.json and no devcontainer.json/)
    try {
      inferTemplate(folderWith({ 'package.json': { name: 'x', scripts: ['dev'] } }))
      expect.unreachable()
    } catch (err) {
      expect((err as TemplateProblems).problems).toEqual(['package.json: "scripts": must be an object of name: command pairs'])
    }
  })
})

describe('package manager detection', () => {
  it('follows the lockfile, defaults to npm, and is absent without a package.json', () => {
    expect(detectPackageManager(folderWith({ 'package.json': {}, 'pnpm-lock.yaml': '' }))).toBe('pnpm')
    expect(detectPackageManager(folderWith({ 'package.json': {} }))).toBe('npm')
    expect(detectPackageManager(folderWith({ 'README.md': '' }))).toBeUndefined()
  })
})

describe('ids from package names', () => {
  it('keeps lowercase letters, digits and single dashes, at most 63', () => {
    expect(sanitizeId('@scope/My.Package')).toBe('scope-my-package')
    expect(sanitizeId('--x--')).toBe('x')
    expect(sanitizeId('a'.repeat(62) + '-b')).toBe('a'.repeat(62))
    expect(sanitizeId('ü')).toBeUndefined()
  })
})
