import { describe, expect, it } from 'vitest'
import { runSandlot, tempSandlotHome } from '../support/run-cli'

describe('sandlot engine status (the built CLI)', () => {
  const home = tempSandlotHome()

  it('prints one JSON document with the endpoint and server version while the engine runs', async () => {
    const run = await runSandlot(['engine', 'status', '--json'], { SANDLOT_HOME: home })
    expect(run.code).toBe(0)
    const doc = JSON.parse(run.stdout)
    expect(doc.state).toBe('connected')
    expect(doc.endpoint.url).toMatch(/^(unix|tcp|npipe|ssh):\/\//)
    expect(doc.server.serverVersion).toMatch(/^\d+\.\d+/)
    expect(doc.server.apiVersion).toMatch(/^1\.\d+$/)
  })

  it('prints a readable summary without --json', async () => {
    const run = await runSandlot(['engine', 'status'], { SANDLOT_HOME: home })
    expect(run.code).toBe(0)
    expect(run.stdout).toMatch(/Docker engine: connected/)
    expect(run.stdout).toMatch(/server\s+.*\d+\.\d+/)
  })

  it('with DOCKER_HOST pointing at nothing: the error document, a hint on stderr, exit 1', async () => {
    const run = await runSandlot(['engine', 'status', '--json'], { SANDLOT_HOME: home, DOCKER_HOST: 'unix:///tmp/sandlot-nothing-here.sock' })
    expect(run.code).toBe(1)
    const doc = JSON.parse(run.stdout)
    expect(doc.error.code).toBe('ENGINE_UNREACHABLE')
    expect(doc.error.message).toMatch(/sandlot-nothing-here\.sock/)
    expect(doc.error.hint).toBeTruthy()
    expect(run.stderr).toContain(`Hint: ${doc.error.hint}`)
  })
})
