import { existsSync } from 'node:fs'
import os from 'node:os'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { EngineConnection, resolveEngineEndpoint } from '../../../src-main/core/engine'
import { removeInstanceObjects as removeFromEngine } from '../../support/instance-cleanup'
import type { ServeProcess } from './serve'
import { openSocket, request } from './ws-client'

/**
 * Every container, the npm cache volume and the network of a data folder's instance (CONVENTIONS.md). The
 * instance id is read from the database directly: the core's store module does not load under Playwright's
 * loader (its migrations are a JSON import).
 */
export async function removeInstanceObjects(dataFolder: string): Promise<void> {
  const id = instanceId(dataFolder)
  if (id === undefined) return
  const connection = new EngineConnection(resolveEngineEndpoint({ env: process.env, platform: process.platform, homedir: os.homedir() }))
  try {
    await removeFromEngine(connection.docker, id)
  } finally {
    connection.close()
  }
}

/** The instance id of a data folder, to label objects a test makes as its own (undefined before its database). */
export function instanceId(dataFolder: string): string | undefined {
  const file = join(dataFolder, 'sandlot.db')
  // A server that never got as far as its database made nothing on the engine either.
  if (!existsSync(file)) return undefined
  const db = new Database(file, { readonly: true, fileMustExist: true })
  const row = db.prepare("SELECT value FROM meta WHERE key = 'instance_id'").get() as { value: string } | undefined
  db.close()
  return row?.value
}

/** Calls the core over the server's WebSocket, as another client (another tab, a script) would. */
export async function callCore(serve: ServeProcess, method: string, params: unknown): Promise<any> {
  const outcome = await openSocket(serve, { token: serve.info.token, origin: serve.origin })
  if (!outcome.opened) throw new Error(`refused with ${outcome.status}`)
  try {
    const frame = (await request(outcome.socket, method, params)) as { type: string; result?: unknown; error?: unknown }
    if (frame.type !== 'result') throw new Error(`${method} failed: ${JSON.stringify(frame.error)}`)
    return frame.result
  } finally {
    outcome.socket.close()
  }
}
