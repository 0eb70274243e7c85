import { describe, expect, it } from 'vitest'
import type { TemplateManifest } from '../contract'
import { planInstall } from './install-plan'

const manifest = (m: Partial<TemplateManifest> = {}): TemplateManifest => ({ id: 't', name: 'T', install: 'npm ci', start: 'npm run dev', ...m })
const lock = JSON.stringify({ lockfileVersion: 3, packages: { '': { name: 't' }, 'node_modules/a': { version: '1.0.0', resolved: 'https://registry.npmjs.org/a/-/a-1.0.0.tgz', integrity: 'sha512-x' } } })
const inputs = (files: Record<string, string | null> = {}) =>
  new Map(Object.entries({ 'package.json': '{"name":"t","scripts":{"dev":"vite"}}', 'package-lock.json': lock, ...files }).map(([k, v]) => [k, v === null ? null : Buffer.from(v)]))
const IMAGE = 'sandlot/core:abc'

describe('planInstall', () => {
  it('gives npm ci with a lockfile the shared store and a snapshot key', () => {
    const plan = planInstall(manifest(), inputs(), IMAGE)
    expect(plan.env).toMatchObject({ npm_config_cache: '/home/node/.npm-shared', CI: 'true' })
    expect(plan.snapshotKey).toMatch(/^[0-9a-f]{32}$/)
  })

  it('keys on every input: lockfile, package.json, .npmrc, install flags, env and image', () => {
    const key = planInstall(manifest(), inputs(), IMAGE).snapshotKey
    const others = [
      planInstall(manifest(), inputs({ 'package-lock.json': lock.replace('1.0.0', '1.0.1') }), IMAGE),
      planInstall(manifest(), inputs({ 'package.json': '{"name":"t","scripts":{"dev":"vite --host"}}' }), IMAGE),
      planInstall(manifest(), inputs({ '.npmrc': 'registry=https://example.test/' }), IMAGE),
      planInstall(manifest({ install: 'npm ci --omit=dev' }), inputs(), IMAGE),
      planInstall(manifest({ env: { NODE_ENV: 'production' } }), inputs(), IMAGE),
      planInstall(manifest(), inputs(), 'sandlot/core:def')
    ].map((p) => p.snapshotKey)
    expect(new Set([key, ...others]).size).toBe(others.length + 1)
    expect(planInstall(manifest(), inputs(), IMAGE).snapshotKey).toBe(key)
  })

  it('keeps other installs, which trust registry metadata, off the shared store and snapshots', () => {
    for (const install of ['npm install', 'npm ci && npm run build', 'pnpm install --frozen-lockfile', 'yarn']) {
      const plan = planInstall(manifest({ install }), inputs(), IMAGE)
      expect(plan.env.npm_config_cache).toBeUndefined()
      expect(plan.snapshotKey).toBeUndefined()
    }
    const noLock = new Map([['package.json', Buffer.from('{}')]])
    const plan = planInstall(manifest(), noLock, IMAGE)
    expect(plan.snapshotKey).toBeUndefined()
    expect(plan.noSnapshot).toContain('lockfile')
  })

  it('takes an npm-shrinkwrap.json as the lockfile', () => {
    const files = new Map([['package.json', Buffer.from('{"name":"t"}')], ['npm-shrinkwrap.json', Buffer.from(lock)]])
    expect(planInstall(manifest(), files, IMAGE).snapshotKey).toBeDefined()
  })

  it('makes no snapshot when node_modules may depend on more than the inputs, and says why', () => {
    const cases: [Record<string, string | null>, RegExp][] = [
      [{ 'package.json': '{"scripts":{"postinstall":"node gen.js"}}' }, /"postinstall" script/],
      [{ 'package.json': '{"scripts":{"prepare":"husky"}}' }, /"prepare" script/],
      [{ 'package.json': '{"workspaces":["packages/*"]}' }, /workspaces/],
      [{ 'package.json': '[1]' }, /not a JSON object/],
      [{ 'package.json': '{broken' }, /not a JSON object/],
      [{ 'package-lock.json': lock.replace('"integrity"', '"link": true, "x"') }, /local/],
      [{ 'package-lock.json': lock.replace('https://registry.npmjs.org/a/-/a-1.0.0.tgz', 'file:../a') }, /local/],
      [{ 'package-lock.json': null }, /too large/]
    ]
    for (const [files, reason] of cases) {
      const plan = planInstall(manifest(), inputs(files), IMAGE)
      expect(plan.snapshotKey, JSON.stringify(files)).toBeUndefined()
      expect(plan.noSnapshot).toMatch(reason)
      // Still npm ci with a lockfile: the store stays shared.
      if (files['package-lock.json'] !== null) expect(plan.env.npm_config_cache).toBe('/home/node/.npm-shared')
    }
  })
})
