import os from 'node:os'
import { EngineConnection, resolveEngineEndpoint } from '../../src-main/core/engine'

const NOT_REACHABLE = 'Docker engine not reachable: start Docker Desktop or dockerd'

/** Integration tests need the main engine: without it the run fails saying what to start, and never skips. */
export default async function setup(): Promise<void> {
  let endpoint
  try {
    endpoint = resolveEngineEndpoint({ env: process.env, platform: process.platform, homedir: os.homedir() })
  } catch (error) {
    const hint = (error as { hint?: string }).hint ?? ''
    throw new Error(`${NOT_REACHABLE} (no usable engine configured)\n${(error as Error).message}\n${hint}`)
  }
  const connection = new EngineConnection(endpoint)
  try {
    const status = await connection.check()
    if (status.state !== 'connected') {
      throw new Error(`${NOT_REACHABLE} (tried ${endpoint.url}, from ${endpoint.source})\n${status.message}\n${status.hint}`)
    }
  } finally {
    connection.close()
  }
}
