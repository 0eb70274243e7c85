import { existsSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { openSandlotCore, type SandlotCore } from './sandlot-core'

const cores: SandlotCore[] = []
afterEach(() => {
  for (const core of cores.splice(0)) core.close()
})

function open(home: string, env: NodeJS.ProcessEnv = {}): SandlotCore {
  const core = openSandlotCore({ home, env })
  cores.push(core)
  return core
}

const home = () => mkdtempSync(join(tmpdir(), 'sandlot-core-'))

describe('the core', () => {
  it('keeps its instance id across processes opening the same data folder', () => {
    const h = home()
    const first = open(h).instanceId
    expect(open(h).instanceId).toBe(first)
    expect(open(home()).instanceId).not.toBe(first)
  })

  it('re-targets the engine when its settings change, and reports where it looked', async () => {
    const core = open(home(), { DOCKER_HOST: 'unix:///nonexistent/a.sock' })
    const seen: string[] = []
    core.api.subscribe('engine.status', (status) => seen.push(status.endpoint.url))
    await core.api.call('settings.update', { engine: { host: 'unix:///nonexistent/b.sock' } })
    const status = await core.api.call('engine.status', {})
    expect(status.state).toBe('unreachable')
    expect(status.endpoint).toMatchObject({ url: 'unix:///nonexistent/b.sock', source: 'settings' })
    expect(seen).toContain('unix:///nonexistent/b.sock')
    const view = await core.api.call('settings.get', {})
    expect(view.settings.engine.host).toBe('unix:///nonexistent/b.sock')
  })

  it('refuses unknown methods and bad parameters with BAD_REQUEST, changing nothing', async () => {
    const core = open(home())
    await expect(core.api.call('no.such.method', {})).rejects.toMatchObject({ code: 'BAD_REQUEST' })
    await expect(core.api.call('settings.update', { appearance: { theme: 'neon' } })).rejects.toMatchObject({ code: 'BAD_REQUEST' })
    expect((await core.api.call('settings.get', {})).settings.appearance.theme).toBe('system')
    expect(() => core.api.subscribe('no.such.event', () => {})).toThrow(/Unknown event/)
  })
})

describe('the core with engine settings that cannot be used', () => {
  it('still opens, serves settings, and says what is wrong when the engine is needed', async () => {
    const h = home()
    writeFileSync(join(h, 'settings.json'), JSON.stringify({ engine: { context: 'gone-context' } }))
    const core = open(h, { DOCKER_CONFIG: join(h, 'docker-config') })
    expect((await core.api.call('settings.get', {})).settings.engine.context).toBe('gone-context')
    await expect(core.api.call('engine.status', {})).rejects.toMatchObject({ code: 'ENGINE_UNREACHABLE', message: expect.stringMatching(/gone-context/) })
    await expect(core.api.call('image.status', {})).rejects.toMatchObject({ code: 'ENGINE_UNREACHABLE' })
    // Fixing the setting through the API recovers without a restart.
    await core.api.call('settings.update', { engine: { context: null, host: 'unix:///nonexistent/c.sock' } })
    expect((await core.api.call('engine.status', {})).endpoint.url).toBe('unix:///nonexistent/c.sock')
  })

  it('refuses to save an engine setting that cannot be used, changing nothing', async () => {
    const h = home()
    const core = open(h, { DOCKER_CONFIG: join(h, 'docker-config') })
    await expect(core.api.call('settings.update', { engine: { context: 'no-such-context' } })).rejects.toMatchObject({ code: 'ENGINE_UNREACHABLE' })
    expect(existsSync(join(h, 'settings.json'))).toBe(false)
    expect((await core.api.call('settings.get', {})).settings.engine.context).toBeUndefined()
  })

  it('reports an engine that does not answer as ENGINE_UNREACHABLE, not as a bug', async () => {
    const core = open(home(), { DOCKER_HOST: 'unix:///nonexistent/d.sock' })
    await expect(core.api.call('image.status', { base: 'node:22' })).rejects.toMatchObject({
      code: 'ENGINE_UNREACHABLE',
      hint: expect.stringMatching(/DOCKER_HOST/)
    })
  })
})
