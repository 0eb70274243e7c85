import { z } from 'zod'
import { Timestamp } from '../../container/src/protocol'

/**
 * What the orchestrator's query routes answer (and its CLI verbs print with --json): the fleet across hosts.
 * The CLI validates answers with the same schemas, as it would any input from the network.
 */

export const TokenRole = z.enum(['host', 'reader', 'admin']).describe('host: a desktop that sends its history; reader: may query; admin: may query (and manage tokens)')
export type TokenRole = z.infer<typeof TokenRole>

/** Names of hosts and tokens, as every name a user gives (CONVENTIONS.md). */
export const TokenName = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'use 1 to 63 lowercase letters, digits and dashes, starting with a letter or digit')

export const TokenInfo = z.object({
  name: z.string(),
  role: TokenRole,
  createdAt: Timestamp,
  revokedAt: Timestamp.nullable(),
  lastContactAt: Timestamp.nullable()
})
export type TokenInfo = z.infer<typeof TokenInfo>

/**
 * The sending delay of a host: of the records its last batch with new records brought, how long each took from its
 * own timestamp to the orchestrator's receipt (it includes any difference between the two machines' clocks).
 */
export const HostSyncDelay = z.object({
  p50Ms: z.number().int().min(0),
  maxMs: z.number().int().min(0),
  /** How many records the batch newly stored. */
  records: z.number().int().min(1),
  /** When that batch arrived. */
  receivedAt: Timestamp
})
export type HostSyncDelay = z.infer<typeof HostSyncDelay>

export const FleetHost = z.object({
  name: z.string(),
  /** The desktop's hostname and version as it last said them. */
  agent: z.string().nullable(),
  revoked: z.boolean(),
  /** When the host last sent a batch (it sends one at least when records wait or its workspaces change). */
  lastContactAt: Timestamp.nullable(),
  /** The timestamp of the newest record the host sent: how long its workspaces have been quiet, not a delay. */
  lastRecordTs: Timestamp.nullable(),
  syncDelay: HostSyncDelay.nullable(),
  workspaces: z.number().int()
})
export type FleetHost = z.infer<typeof FleetHost>

export const FleetWorkspace = z.object({
  host: z.string(),
  name: z.string(),
  template: z.string(),
  state: z.string(),
  container: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: Timestamp
})
export type FleetWorkspace = z.infer<typeof FleetWorkspace>

export const FleetErrorGroup = z.object({
  fingerprint: z.string(),
  category: z.string(),
  severity: z.string(),
  /** The newest occurrence's message, file and line. */
  message: z.string(),
  file: z.string().nullable(),
  line: z.number().int().nullable(),
  count: z.number().int(),
  hosts: z.array(z.string()),
  workspaces: z.array(z.string()),
  firstSeen: Timestamp,
  lastSeen: Timestamp
})
export type FleetErrorGroup = z.infer<typeof FleetErrorGroup>

export const FleetEvent = z.object({
  host: z.string(),
  workspace: z.string(),
  container: z.string(),
  ts: Timestamp,
  event: z.string(),
  summary: z.string(),
  state: z.string().nullable(),
  exitCode: z.number().int().nullable()
})
export type FleetEvent = z.infer<typeof FleetEvent>

export const FleetLogLine = z.object({
  host: z.string(),
  workspace: z.string(),
  container: z.string(),
  ts: Timestamp,
  stream: z.string(),
  line: z.string(),
  truncated: z.boolean()
})
export type FleetLogLine = z.infer<typeof FleetLogLine>

/** Records a desktop will never send (log lines, timeline entries, error occurrences), between `from` and `to`. */
export const FleetGap = z.object({
  host: z.string(),
  workspace: z.string(),
  lines: z.number().int(),
  events: z.number().int(),
  errors: z.number().int(),
  from: Timestamp,
  to: Timestamp
})
export type FleetGap = z.infer<typeof FleetGap>

/** Filters of the list routes (query string), each validated; `limit` bounds the answer, newest first. */
export const FleetQuery = z
  .object({
    host: TokenName.optional().describe('only this host'),
    workspace: z.string().min(1).max(128).optional().describe('only this workspace'),
    limit: z.coerce.number().int().min(1).max(5000).default(200).describe('at most this many rows, newest first')
  })
  .strict()
export type FleetQuery = z.infer<typeof FleetQuery>

export const LogQuery = FleetQuery.extend({
  search: z.string().min(1).max(512).optional().describe("full-text search (PostgreSQL's websearch syntax: words, \"a phrase\", or, -word)")
}).strict()
export type LogQuery = z.infer<typeof LogQuery>

export const FleetHosts = z.object({ hosts: z.array(FleetHost) })
export const FleetWorkspaces = z.object({ workspaces: z.array(FleetWorkspace) })
export const FleetErrors = z.object({ errors: z.array(FleetErrorGroup) })
export const FleetEvents = z.object({ events: z.array(FleetEvent), gaps: z.array(FleetGap) })
export const FleetLogs = z.object({ lines: z.array(FleetLogLine) })

/** `POST /api/admin/tokens` (admin): a new token, answered once. */
export const NewToken = z.object({ name: TokenName, role: TokenRole.default('host') }).strict()
export const AddedToken = z.object({ name: z.string(), role: TokenRole, token: z.string() })
export const TokenList = z.object({ tokens: z.array(TokenInfo) })
export const RevokedToken = z.object({ name: z.string(), revokedAt: Timestamp })
