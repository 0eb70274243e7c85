import { createServer, type Server } from 'node:http'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Dockerode from 'dockerode'
import { afterEach, describe, expect, it } from 'vitest'
import { refuseEngineRedirects } from './modem-redirects'

const servers: Server[] = []
afterEach(() => {
  for (const server of servers.splice(0)) server.close()
})

function listen(server: Server, at: string | number): Promise<void> {
  servers.push(server)
  return new Promise((resolve) => server.listen(at as number, '127.0.0.1', () => resolve()))
}

describe('engine redirects', () => {
  it('are not followed: a request the engine redirects (as it does for /images/../x/json) fails, and nothing else is called', async () => {
    // Somewhere the caller of a crafted reference wants Sandlot to call.
    let hits = 0
    const elsewhere = createServer((_req, res) => {
      hits++
      res.end('{}')
    })
    await listen(elsewhere, 0)
    const port = (elsewhere.address() as { port: number }).port
    // An engine that answers as Docker's router does to a path with `..` in it: a redirect.
    const socket = join(mkdtempSync(join(tmpdir(), 'sandlot-engine-')), 'docker.sock')
    const engine = createServer((req, res) => {
      res.writeHead(301, { Location: `http://127.0.0.1:${port}${req.url}` })
      res.end()
    })
    servers.push(engine)
    await new Promise<void>((resolve) => engine.listen(socket, () => resolve()))

    refuseEngineRedirects()
    const docker = new Dockerode({ socketPath: socket })
    await expect(docker.getImage('../../x').inspect()).rejects.toThrow(/redirect/i)
    expect(hits).toBe(0)
  })
})
