import { describe, expect, it } from 'vitest'
import type { TemplateManifest } from '../contract'
import { planInstall } from './install-plan'

const manifest = (m: Partial<TemplateManifest> = {}): TemplateManifest => ({ id: 't', name: 'T', install: 'npm ci', start: 'npm run dev', ...m })
const entry = { version: '1.0.0', resolved: 'https://registry.npmjs.org/a/-/a-1.0.0.tgz', integrity: 'sha512-x' }
const lockOf = (packages: Record<string, unknown>, lockfileVersion = 3) => JSON.stringify({ lockfileVersion, packages: { '': { name: 't' }, ...packages } })
const lock = lockOf({ 'node_modules/a': entry })
const inputs = (files: Record<string, string | null> = {}) =>
  new Map(Object.entries({ 'package.json': '{"name":"t","scripts":{"dev":"vite"}}', 'package-lock.json': lock, ...files }).map(([k, v]) => [k, v === null ? null : Buffer.from(v)]))
const IMAGE = 'sandlot/core:abc'
const DIGEST = 'd'.repeat(64)
const SHARED = '/home/node/.npm-shared'

describe('planInstall', () => {
  it('gives npm ci from a fully pinned lockfile the shared store and a snapshot key', () => {
    const plan = planInstall(manifest(), inputs(), DIGEST, IMAGE)
    expect(plan.env).toMatchObject({ npm_config_cache: SHARED, CI: 'true' })
    expect(plan.snapshotKey).toMatch(/^[0-9a-f]{32}$/)
  })

  it('keys on the whole template archive, the install command, the env and the image', () => {
    const key = planInstall(manifest(), inputs(), DIGEST, IMAGE).snapshotKey
    const others = [
      planInstall(manifest(), inputs(), 'e'.repeat(64), IMAGE),
      planInstall(manifest({ install: 'npm ci --omit=dev' }), inputs(), DIGEST, IMAGE),
      planInstall(manifest({ env: { NODE_ENV: 'production' } }), inputs(), DIGEST, IMAGE),
      planInstall(manifest(), inputs(), DIGEST, 'sandlot/core:def')
    ].map((p) => p.snapshotKey)
    expect(new Set([key, ...others]).size).toBe(others.length + 1)
    expect(planInstall(manifest(), inputs(), DIGEST, IMAGE).snapshotKey).toBe(key)
  })

  it('keeps other installs, which trust registry metadata, off the shared store and snapshots', () => {
    for (const install of ['npm install', 'npm ci && npm run build', 'pnpm install --frozen-lockfile', 'yarn']) {
      const plan = planInstall(manifest({ install }), inputs(), DIGEST, IMAGE)
      expect(plan.env.npm_config_cache).toBeUndefined()
      expect(plan.snapshotKey).toBeUndefined()
    }
    const plan = planInstall(manifest(), new Map([['package.json', Buffer.from('{}')]]), DIGEST, IMAGE)
    expect(plan.snapshotKey).toBeUndefined()
    expect(plan.noSnapshot).toContain('lockfile')
  })

  it('shares the store only when every package is a registry tarball pinned by integrity', () => {
    const cases: [string | null, RegExp][] = [
      [lockOf({ 'node_modules/a': entry }, 1), /v1/],
      [lockOf({ 'node_modules/a': { ...entry, integrity: undefined } }), /node_modules\/a is not pinned/],
      [lockOf({ 'node_modules/g': { version: '1.0.0', resolved: 'git+ssh://git@github.com/o/r.git#0123abc' } }), /node_modules\/g is not pinned/],
      [lockOf({ 'node_modules/h': { ...entry, resolved: 'http://registry.example/h.tgz' } }), /not pinned/],
      [JSON.stringify({ lockfileVersion: 3 }), /no packages/],
      ['{broken', /unreadable/],
      [null, /unreadable or too large/]
    ]
    for (const [lockfile, reason] of cases) {
      const plan = planInstall(manifest(), inputs({ 'package-lock.json': lockfile }), DIGEST, IMAGE)
      expect(plan.env.npm_config_cache, String(lockfile)).toBeUndefined()
      expect(plan.snapshotKey).toBeUndefined()
      expect(plan.noSnapshot).toMatch(reason)
    }
    // Local packages and bundled ones fetch nothing by URL.
    const local = lockOf({ 'node_modules/a': entry, 'node_modules/l': { link: true, resolved: 'packages/l' }, 'node_modules/a/node_modules/b': { version: '1.0.0', inBundle: true } })
    expect(planInstall(manifest(), inputs({ 'package-lock.json': local }), DIGEST, IMAGE).env.npm_config_cache).toBe(SHARED)
  })

  it('takes an npm-shrinkwrap.json as the lockfile', () => {
    const files = new Map([['package.json', Buffer.from('{"name":"t"}')], ['npm-shrinkwrap.json', Buffer.from(lock)]])
    expect(planInstall(manifest(), files, DIGEST, IMAGE).snapshotKey).toBeDefined()
  })

  it('makes no snapshot when the install may write outside node_modules, and says why', () => {
    const cases: [Record<string, string | null>, RegExp][] = [
      [{ 'package.json': '{"scripts":{"postinstall":"node gen.js"}}' }, /"postinstall" script/],
      [{ 'package.json': '{"scripts":{"prepare":"husky"}}' }, /"prepare" script/],
      [{ 'package.json': '{"workspaces":["packages/*"]}' }, /workspaces/],
      [{ 'package.json': '[1]' }, /not a JSON object/],
      [{ '.npmrc': null }, /not a regular file/]
    ]
    for (const [files, reason] of cases) {
      const plan = planInstall(manifest(), inputs(files), DIGEST, IMAGE)
      expect(plan.snapshotKey, JSON.stringify(files)).toBeUndefined()
      expect(plan.noSnapshot).toMatch(reason)
      // Still npm ci from a pinned lockfile: the store stays shared.
      expect(plan.env.npm_config_cache).toBe(SHARED)
    }
  })
})
