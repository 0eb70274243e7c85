import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { TemplateCatalog } from '../templates/template-catalog'
import { restartArgs, sourceTemplate, withOverrides } from './workspace-template'

const base = { id: 'app', name: 'App', start: 'node .', port: 3000, env: { A: '1', B: '2' }, limits: { memoryMb: 1024, pids: 256 } }

describe('create overrides', () => {
  it('go over the source settings, field by field', () => {
    expect(withOverrides(base, { env: { B: 'x', C: '3' }, limits: { cpus: 1 }, start: 'npm run dev', port: 5173 })).toEqual({
      ...base,
      env: { A: '1', B: 'x', C: '3' },
      limits: { memoryMb: 1024, pids: 256, cpus: 1 },
      start: 'npm run dev',
      port: 5173
    })
    expect(withOverrides(base, {})).toEqual(base)
  })

  it('refuse a port for a source that runs no app', () => {
    expect(() => withOverrides({ id: 'sh', name: 'Shell' }, { port: 8080 })).toThrow('--port 8080 was given, but sh runs no app.')
    expect(withOverrides({ id: 'sh', name: 'Shell' }, { port: 8080, start: 'python3 -m http.server 8080' })).toMatchObject({ port: 8080 })
  })
})

describe('a host folder as a source', () => {
  const options = { catalog: {} as TemplateCatalog, gitCache: '/nonexistent' }

  it('takes its settings from package.json, or is a shell workspace named after the folder when it has none', async () => {
    const root = mkdtempSync(join(tmpdir(), 'sandlot-source-'))
    const node = join(root, 'web')
    mkdirSync(node)
    writeFileSync(join(node, 'package.json'), JSON.stringify({ name: 'acme-web', scripts: { dev: 'vite' }, devDependencies: { vite: '5' } }))
    expect((await sourceTemplate({ kind: 'folder', path: node }, options, () => {})).manifest).toMatchObject({ id: 'acme-web', start: 'npm run dev', port: 5173 })
    const plain = join(root, 'My_Scripts')
    mkdirSync(plain)
    writeFileSync(join(plain, 'main.py'), 'print(1)\n')
    expect((await sourceTemplate({ kind: 'folder', path: plain }, options, () => {})).manifest).toEqual({ id: 'my-scripts', name: 'My_Scripts' })
    writeFileSync(join(plain, '.devcontainer.json'), '{ "postCreateCommand": "pip install -r requirements.txt", "forwardPorts": [8000] }')
    expect((await sourceTemplate({ kind: 'folder', path: plain }, options, () => {})).manifest).toMatchObject({
      id: 'my-scripts',
      install: 'pip install -r requirements.txt',
      port: 8000
    })
  })

  it('is refused when it is missing or a file', async () => {
    await expect(sourceTemplate({ kind: 'folder', path: '/nonexistent/app' }, options, () => {})).rejects.toThrow('There is no folder at /nonexistent/app.')
    const file = join(mkdtempSync(join(tmpdir(), 'sandlot-source-')), 'package.json')
    writeFileSync(file, '{}')
    await expect(sourceTemplate({ kind: 'folder', path: file }, options, () => {})).rejects.toThrow(`${file} is a file, not a folder.`)
  })
})

describe('restartArgs', () => {
  it("turns template.json's restart policy into monitor-cli's flags, leaving out what it does not set", () => {
    expect(restartArgs(undefined)).toEqual([])
    expect(restartArgs({ policy: 'never' })).toEqual(['--restart', 'never'])
    expect(restartArgs({ policy: 'always', maxRestarts: 0, windowMs: 5000, backoffMs: 0, backoffFactor: 1.5, maxBackoffMs: 900 })).toEqual([
      '--restart', 'always', '--max-restarts', '0', '--restart-window', '5000ms', '--backoff-initial', '0ms', '--backoff-factor', '1.5', '--backoff-max', '900ms'
    ])
  })
})
