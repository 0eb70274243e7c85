import { createServer } from 'node:net'
import { describe, expect, it } from 'vitest'
import { SandlotApiError } from './errors'
import { HttpClient } from './http-client'

/** A local port nothing listens on any more (as after `sandlot serve` stopped, its serve.json left behind). */
async function closedPort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as { port: number }
  await new Promise((resolve) => server.close(resolve))
  return port
}

describe('SDK HTTP client', () => {
  it('says nothing answers, and what to do, when the server is gone', async () => {
    const url = `http://127.0.0.1:${await closedPort()}`
    const client = new HttpClient(url, 'a'.repeat(64))
    for (const attempt of [client.request('GET', '/api/workspaces'), client.stream('GET', '/api/history/logs/stream', {})]) {
      const error = await attempt.catch((err: unknown) => err)
      expect(error).toBeInstanceOf(SandlotApiError)
      expect(error).toMatchObject({ status: 0, code: 'UNREACHABLE', hint: 'Start `sandlot serve`; serve.json may be left by one that stopped.' })
      expect((error as Error).message).toContain(`Nothing answers at ${url}`)
    }
  })
})
