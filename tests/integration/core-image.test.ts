import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openSandlotCore, type SandlotCore } from '../../src-main/core/sandlot-core'
import { testBaseImage } from '../support/core-image'
import { tempSandlotHome } from '../support/run-cli'

let core: SandlotCore
let base: string

beforeAll(() => {
  base = testBaseImage()
  core = openSandlotCore({ home: tempSandlotHome() })
})
afterAll(() => core?.close())

describe('the core image', () => {
  it('builds on the base through the engine, with progress, tagged by content', async () => {
    const progress: string[] = []
    core.api.subscribe('image.progress', (p) => progress.push(p.message))
    const result = await core.api.call('image.build', { base, force: true })
    expect(result.built).toBe(true)
    expect(result.tag).toMatch(/^sandlot\/core:[0-9a-f]{12}$/)
    expect(progress.some((line) => /^Step \d+\/\d+/.test(line))).toBe(true)
    const info = await core.engine.connection.docker.getImage(result.tag).inspect()
    expect(info.Config.Labels).toMatchObject({ 'dev.sandlot.managed': 'true', 'dev.sandlot.image-hash': result.tag.split(':')[1] })
    // No USER: the monitor starts as root and runs the app as SANDLOT_APP_USER (container/PROTOCOL.md "Who runs what").
    expect(info.Config.User ?? '').toBe('')
    expect(info.Config.Env).toContain('SANDLOT_APP_USER=node')
    expect((await core.api.call('image.status', { base })).present).toBe(true)
  })

  it('does not rebuild when nothing changed', async () => {
    const status = await core.api.call('image.status', { base })
    const before = await core.engine.connection.docker.getImage(status.tag).inspect()
    const again = await core.api.call('image.build', { base })
    expect(again).toMatchObject({ built: false, tag: status.tag })
    expect((await core.engine.connection.docker.getImage(status.tag).inspect()).Id).toBe(before.Id)
  })

  it('says how to get a base image that is neither local nor pullable', async () => {
    await expect(core.api.call('image.build', { base: 'sandlot-test/no-such-base:never' })).rejects.toMatchObject({
      code: 'IMAGE_MISSING',
      hint: expect.stringMatching(/build-offline-base\.sh/)
    })
  })
})
