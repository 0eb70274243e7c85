import { PassThrough } from 'node:stream'
import type Dockerode from 'dockerode'
import { describe, expect, it } from 'vitest'
import { HistoryIngest } from './history-ingest'
import { HistoryWriter, type StoredBatch } from './history-writer'
import { RecordStream, testDatabases } from './testing/records'

const fresh = testDatabases()

/** Docker's multiplexed log framing: stream 1 (stdout), a big-endian length, the payload. */
function frame(text: string): Buffer {
  const body = Buffer.from(text)
  const head = Buffer.alloc(8)
  head[0] = 1
  head.writeUInt32BE(body.length, 4)
  return Buffer.concat([head, body])
}

describe('HistoryIngest.catchUp', () => {
  it('reports what it stored when the engine goes away before the last container is read', async () => {
    const { database } = fresh()
    const insert = database.sqlite.prepare(
      `INSERT INTO workspaces (name, template_id, container_id, status, phase, created_at, updated_at) VALUES (?, 'node', ?, 'running', 'ready', '', '')`
    )
    insert.run('a', 'c-a')
    insert.run('b', 'c-b')
    const lines = new RecordStream().logs(3).map(({ dockerTime, record }) => `${dockerTime} ${JSON.stringify(record)}\n`)
    // Container a's log is read; the engine cannot be reached when b's turn comes.
    const docker = {
      modem: {
        dial: (options: { path: string }, callback: (err: unknown, data?: unknown) => void) => {
          if (!options.path.includes('c-a')) return callback(Object.assign(new Error('engine gone'), { code: 'ENGINE_UNREACHABLE' }))
          const stream = new PassThrough()
          callback(null, stream)
          stream.end(frame(lines.join('')))
        }
      }
    } as unknown as Dockerode
    const stored: StoredBatch[] = []
    const ingest = new HistoryIngest({
      sqlite: database.sqlite,
      writer: new HistoryWriter(database.sqlite, () => 0),
      instanceId: 'test',
      engine: (work) => work(docker),
      events: () => {
        throw new Error('not used')
      },
      onStored: (batch) => stored.push(batch)
    })
    await ingest.catchUp()
    expect(stored.flatMap((batch) => batch.lines.map((line) => line.line))).toEqual(['line 0', 'line 1', 'line 2'])
  })
})
