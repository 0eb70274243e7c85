import type { Context } from 'hono'
import { streamSSE, type SSEStreamingApi } from 'hono/streaming'
import type { CoreApi } from '../../core/api'
import type { ErrorGroup, LogLine, TimelineEvent } from '../../core/contract'

/** Rows read from the database per query while catching up. */
const PAGE = 1000
/** Live events wake the stream; this poll also catches rows another process stored (a CLI's catch-up). */
const POLL_MS = 2_000
/** A comment line this often keeps proxies and idle clients from dropping a quiet stream. */
const KEEPALIVE_MS = 15_000

/**
 * A live history stream whose event ids are the stored rows' ids. The database is the source: live events only
 * wake the stream, which then reads every row after the last one sent, so a client that reconnects with
 * `Last-Event-ID` gets exactly the rows it missed (none twice, none lost), however far behind it was.
 */
export async function rowStream(
  c: Context,
  api: CoreApi,
  kind: 'history.logs' | 'history.events',
  workspace: string | undefined,
  resumeFrom: number | undefined
): Promise<Response> {
  // Read before the stream opens, so an unknown workspace is a 404 answer, not a broken stream.
  const newest = await newestId(api, kind, workspace)
  return streamSSE(c, async (stream) => {
    const page = async (after: number): Promise<Array<LogLine | TimelineEvent>> =>
      kind === 'history.logs'
        ? (await api.call('history.logs', { workspace, after, limit: PAGE })).lines
        : await api.call('history.events', { workspace, after, limit: PAGE })
    // Without an id to resume from, the stream starts after the newest row stored now.
    let cursor = resumeFrom ?? newest
    await follow(stream, api, kind, async () => {
      for (;;) {
        const rows = await page(cursor)
        for (const row of rows) {
          await stream.writeSSE({ id: String(row.id), event: kind, data: JSON.stringify(row) })
          cursor = row.id
        }
        if (rows.length < PAGE) return
      }
    })
  })
}

/**
 * Error groups as they are created or counted up; the id is the group's last-seen time, and resuming sends every
 * group seen after it (a group is its current state: its count and last occurrence).
 */
export async function errorStream(c: Context, api: CoreApi, workspace: string | undefined, resumeFrom: string | undefined): Promise<Response> {
  await api.call('history.errors', { workspace })
  return streamSSE(c, async (stream) => {
    // A Last-Event-ID that is not a time is ignored (the stream starts from now), as rowId() does for row ids.
    const resumed = resumeFrom === undefined ? Number.NaN : Date.parse(resumeFrom)
    let since = Number.isNaN(resumed) ? Date.now() : resumed
    const sent = new Map<string, number>()
    await follow(stream, api, 'history.errors', async () => {
      const groups = (await api.call('history.errors', { workspace })).filter((g) => Date.parse(g.lastSeen) > since || isNewer(sent, g))
      groups.sort((a, b) => Date.parse(a.lastSeen) - Date.parse(b.lastSeen))
      for (const group of groups) {
        await stream.writeSSE({ id: group.lastSeen, event: 'history.errors', data: JSON.stringify(group) })
        sent.set(`${group.workspace}\n${group.fingerprint}`, group.count)
        since = Math.max(since, Date.parse(group.lastSeen))
      }
    })
  })
}

/** Two occurrences in the same millisecond: the group's count still moved, so it is sent again. */
function isNewer(sent: Map<string, number>, group: ErrorGroup): boolean {
  const count = sent.get(`${group.workspace}\n${group.fingerprint}`)
  return count !== undefined && group.count > count
}

/** Runs `drain` now, on every live event of `event`, and every POLL_MS, one at a time, until the client leaves. */
async function follow(stream: SSEStreamingApi, api: CoreApi, event: 'history.logs' | 'history.events' | 'history.errors', drain: () => Promise<void>): Promise<void> {
  let wake: (() => void) | undefined
  const unsubscribe = api.subscribe(event, () => wake?.())
  let closed = false
  stream.onAbort(() => {
    closed = true
    wake?.()
  })
  let quietSince = Date.now()
  try {
    while (!closed) {
      await drain()
      if (Date.now() - quietSince >= KEEPALIVE_MS) {
        await stream.write(': keep-alive\n\n')
        quietSince = Date.now()
      }
      await new Promise<void>((resolve) => {
        wake = resolve
        setTimeout(resolve, POLL_MS).unref()
      })
      wake = undefined
    }
  } finally {
    unsubscribe()
  }
}

async function newestId(api: CoreApi, kind: 'history.logs' | 'history.events', workspace: string | undefined): Promise<number> {
  const newest =
    kind === 'history.logs' ? (await api.call('history.logs', { workspace, limit: 1 })).lines.at(-1) : (await api.call('history.events', { workspace, limit: 1 })).at(-1)
  return newest?.id ?? 0
}
