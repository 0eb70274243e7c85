import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { loadApiToken } from '../../src-main/core/api-token'
import { openSandlotCore, type SandlotCore } from '../../src-main/core/sandlot-core'
import { startSandlotServer, type SandlotServer } from '../../src-main/server/sandlot-server'
import { makeRendererDir } from '../../src-main/transport/test-support/temp-core'
import { testBaseImage } from './core-image'
import { removeInstanceObjects } from './instance-cleanup'

/** A core on the real engine (image built, background work on) behind `sandlot serve`'s server on loopback. */
export interface ApiServer {
  core: SandlotCore
  server: SandlotServer
  token: string
  /** The server's URL without its trailing slash. */
  base: string
  /** One request with the API token (`token: null` sends none, another string a wrong one); a body is JSON unless said. */
  call(method: string, path: string, options?: { token?: string | null; body?: string; headers?: Record<string, string> }): Promise<Response>
  /** Stops the server, removes what the core made on the engine, closes the core. */
  close(): Promise<void>
}

export async function startApiServer(home: string): Promise<ApiServer> {
  writeFileSync(join(home, 'settings.json'), JSON.stringify({ image: { base: testBaseImage() }, pool: { size: 0 } }))
  const core = openSandlotCore({ home })
  await core.api.call('image.build', { base: testBaseImage() })
  core.startBackgroundWork()
  const token = loadApiToken(core.paths.apiToken)
  const server = await startSandlotServer({ api: core.api, host: '127.0.0.1', port: 0, rendererDir: makeRendererDir(), token: () => loadApiToken(core.paths.apiToken), onProblem: () => undefined })
  const base = server.url.replace(/\/$/, '')
  return {
    core,
    server,
    token,
    base,
    call(method, path, options = {}) {
      const headers: Record<string, string> = { ...options.headers }
      if (options.token !== null) headers.authorization = `Bearer ${options.token ?? token}`
      if (options.body !== undefined) headers['content-type'] ??= 'application/json'
      return fetch(`${base}${path}`, { method, headers, ...(options.body === undefined ? {} : { body: options.body }) })
    },
    async close() {
      await server.close()
      try {
        await removeInstanceObjects(core.engine.connection.docker, core.instanceId)
      } finally {
        core.close()
      }
    }
  }
}
