import { describe, expect, it } from 'vitest'
import { capturedIo } from '../testing/captured-io'
import { runCli } from '../program'

const capture = () => capturedIo({ SANDLOT_HOME: '/nonexistent/never-created' })

describe('sandlot serve', () => {
  it('refuses to listen beyond loopback, as a usage error', async () => {
    for (const host of ['0.0.0.0', '192.168.1.10', '::']) {
      const io = capture()
      expect(await runCli(['serve', '--host', host, '--json'], io)).toBe(2)
      expect(JSON.parse(io.out())).toMatchObject({ error: { code: 'BAD_USAGE', message: expect.stringContaining('loopback only') } })
    }
  })

  it('refuses a port that is not a port', async () => {
    for (const port of ['-1', '65536', 'http', '80.5']) {
      const io = capture()
      expect(await runCli(['serve', '--port', port], io)).toBe(2)
      expect(io.err()).toContain('Give a port number from 0 to 65535')
    }
  })

  it('says to build the web app when it is missing, before touching the data folder', async () => {
    // Run from source, the command looks for src-main/cli/renderer, which never exists.
    const io = capture()
    expect(await runCli(['serve', '--port', '0', '--json'], io)).toBe(1)
    expect(JSON.parse(io.out())).toMatchObject({ error: { code: 'NOT_FOUND', message: expect.stringContaining('web app is not built'), hint: expect.stringContaining('npm run build') } })
  })
})
