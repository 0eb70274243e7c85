import { and, desc, eq, sql, type AnyColumn, type SQL } from 'drizzle-orm'
import type { FleetErrorGroup, FleetEvent, FleetGap, FleetHost, FleetLogLine, FleetQuery, FleetWorkspace, LogQuery } from '../fleet-contract'
import type { OrchestratorDb } from './database'
import { drops, errorOccurrences, events, hosts, logLines, logQuery, logWords, workspaces } from './schema'
import { isoOf, isoOrNullOf } from './time-columns'

/** Reads across hosts: what the query routes, the CLI verbs and the fleet page show. */

export async function fleetHosts(db: OrchestratorDb): Promise<FleetHost[]> {
  const counts = db.select({ hostId: workspaces.hostId, n: sql<number>`count(*)::int`.as('n') }).from(workspaces).groupBy(workspaces.hostId).as('counts')
  const rows = await db
    .select({
      name: hosts.name,
      agent: hosts.agent,
      revoked: sql<boolean>`${hosts.revokedAt} is not null`,
      lastContactAt: isoOrNullOf(hosts.lastContactAt),
      lastRecordTs: isoOrNullOf(hosts.lastRecordTs),
      delayP50Ms: hosts.delayP50Ms,
      delayMaxMs: hosts.delayMaxMs,
      delayRecords: hosts.delayRecords,
      delayAt: isoOrNullOf(hosts.delayAt),
      workspaces: sql<number>`coalesce(${counts.n}, 0)::int`
    })
    .from(hosts)
    .leftJoin(counts, eq(counts.hostId, hosts.id))
    .where(eq(hosts.role, 'host'))
    .orderBy(hosts.name)
  return rows.map(({ delayP50Ms, delayMaxMs, delayRecords, delayAt, ...host }) => ({
    ...host,
    syncDelay: delayP50Ms === null || delayMaxMs === null || delayRecords === null || delayAt === null ? null : { p50Ms: delayP50Ms, maxMs: delayMaxMs, records: delayRecords, receivedAt: delayAt }
  }))
}

export async function fleetWorkspaces(db: OrchestratorDb, query: FleetQuery): Promise<FleetWorkspace[]> {
  const where = and(query.host === undefined ? undefined : eq(hosts.name, query.host), query.workspace === undefined ? undefined : eq(workspaces.name, query.workspace))
  return db
    .select({
      host: hosts.name,
      name: workspaces.name,
      template: workspaces.template,
      state: workspaces.state,
      container: workspaces.container,
      createdAt: workspaces.createdAt,
      updatedAt: isoOf(workspaces.updatedAt)
    })
    .from(workspaces)
    .innerJoin(hosts, eq(hosts.id, workspaces.hostId))
    .where(where)
    .orderBy(hosts.name, workspaces.name)
    .limit(query.limit)
}

/** Errors grouped by fingerprint across hosts: one row per distinct error, naming every host that saw it. */
export async function fleetErrors(db: OrchestratorDb, query: FleetQuery): Promise<FleetErrorGroup[]> {
  const e = errorOccurrences
  const newest = <T>(column: SQL | typeof e.message | typeof e.file | typeof e.line | typeof e.category | typeof e.severity): SQL<T> =>
    sql<T>`(array_agg(${column} order by ${e.ts} desc, ${e.id} desc))[1]`
  const rows = await db
    .select({
      fingerprint: e.fingerprint,
      category: newest<string>(e.category),
      severity: newest<string>(e.severity),
      message: newest<string>(e.message),
      file: newest<string | null>(e.file),
      line: newest<number | null>(e.line),
      count: sql<number>`count(*)::int`,
      hosts: sql<string[]>`array_agg(distinct ${hosts.name} order by ${hosts.name})`,
      workspaces: sql<string[]>`array_agg(distinct ${e.workspace} order by ${e.workspace})`,
      firstSeen: isoOf(sql`min(${e.ts})`),
      lastSeen: isoOf(sql`max(${e.ts})`)
    })
    .from(e)
    .innerJoin(hosts, eq(hosts.id, e.hostId))
    .where(recordFilter(query, e.workspace))
    .groupBy(e.fingerprint)
    .orderBy(desc(sql`max(${e.ts})`))
    .limit(query.limit)
  return rows
}

export async function fleetEvents(db: OrchestratorDb, query: FleetQuery): Promise<{ events: FleetEvent[]; gaps: FleetGap[] }> {
  const list = await db
    .select({
      host: hosts.name,
      workspace: events.workspace,
      container: events.container,
      ts: isoOf(events.ts),
      event: events.event,
      summary: events.summary,
      state: events.state,
      exitCode: events.exitCode
    })
    .from(events)
    .innerJoin(hosts, eq(hosts.id, events.hostId))
    .where(recordFilter(query, events.workspace))
    .orderBy(desc(events.ts), desc(events.id))
    .limit(query.limit)
  const gaps = await db
    .select({ host: hosts.name, workspace: drops.workspace, lines: drops.lines, events: drops.events, errors: drops.errors, from: isoOf(drops.fromTs), to: isoOf(drops.toTs) })
    .from(drops)
    .innerJoin(hosts, eq(hosts.id, drops.hostId))
    .where(recordFilter(query, drops.workspace))
    .orderBy(desc(drops.toTs))
    .limit(query.limit)
  return { events: list, gaps }
}

/** Log lines, newest first; `search` uses PostgreSQL's full-text search (the GIN index on the line's tsvector). */
export async function fleetLogs(db: OrchestratorDb, query: LogQuery): Promise<FleetLogLine[]> {
  const search = query.search === undefined ? undefined : sql`${logWords(logLines.line)} @@ ${logQuery(query.search)}`
  return db
    .select({
      host: hosts.name,
      workspace: logLines.workspace,
      container: logLines.container,
      ts: isoOf(logLines.ts),
      stream: logLines.stream,
      line: logLines.line,
      truncated: logLines.truncated
    })
    .from(logLines)
    .innerJoin(hosts, eq(hosts.id, logLines.hostId))
    .where(and(recordFilter(query, logLines.workspace), search))
    .orderBy(desc(logLines.ts), desc(logLines.id))
    .limit(query.limit)
}

function recordFilter(query: FleetQuery, workspaceColumn: AnyColumn): SQL | undefined {
  return and(query.host === undefined ? undefined : eq(hosts.name, query.host), query.workspace === undefined ? undefined : eq(workspaceColumn, query.workspace))
}
