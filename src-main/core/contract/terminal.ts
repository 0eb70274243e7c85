import { z } from 'zod'
import { WorkspaceName } from './workspace'

/**
 * Terminal sessions: container shells (a Docker exec with a TTY) and host shells (node-pty). Sessions belong to
 * the core, not to a window: a client attaches to one and gets a byte stream (the wire's `stream.*` frames),
 * first the screen as the core's headless mirror serializes it, then live output, flow-controlled by acks.
 */
export const TerminalId = z.string().regex(/^t[A-Za-z0-9_-]{4,40}$/, 'a terminal id starts with t')
export type TerminalId = z.infer<typeof TerminalId>

export const TerminalName = z.string().trim().min(1, 'a terminal name cannot be empty').max(64, 'at most 64 characters')

/** Sizes xterm.js can have; 1000×1000 is far past any screen and bounds the mirror's memory. */
export const TerminalSize = z.object({
  cols: z.number().int().min(2).max(1000),
  rows: z.number().int().min(1).max(1000)
})
export type TerminalSize = z.infer<typeof TerminalSize>

export const TerminalTarget = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('workspace'), workspace: WorkspaceName }).strict(),
  z.object({ kind: z.literal('host') }).strict()
])
export type TerminalTarget = z.infer<typeof TerminalTarget>

/**
 * running: a shell is attached to the session; connecting: waiting for the workspace's container (stopped or
 * restarting) to run again, then a fresh shell below the old screen; exited: the shell ended (exitCode), the
 * screen stays until the terminal is closed; closed: gone (only ever seen in a `terminals.changed` event).
 */
export const TerminalState = z.enum(['running', 'connecting', 'exited', 'closed'])
export type TerminalState = z.infer<typeof TerminalState>

export const TerminalInfo = z
  .object({
    id: TerminalId,
    name: z.string(),
    target: TerminalTarget,
    state: TerminalState,
    exitCode: z.number().int().nullable(),
    /** Position in the layout (tabs and grid order), 0 first. */
    position: z.number().int().min(0),
    createdAt: z.string(),
    /** Restored after Sandlot restarted: the screen above the marker is history, the shell below it is new. */
    revived: z.boolean()
  })
  .extend(TerminalSize.shape)
export type TerminalInfo = z.infer<typeof TerminalInfo>

export const TerminalOpenParams = z
  .object({ target: TerminalTarget, name: TerminalName.optional(), size: TerminalSize.optional() })
  .strict()

const ById = z.object({ id: TerminalId }).strict()

export const terminalMethods = {
  /**
   * Starts a session (a workspace's ready shell is handed over when there is one, its prompt already on the
   * screen). A workspace whose container is stopped gets a `connecting` session that starts its shell when the
   * container runs. At most 64 sessions at once.
   */
  'terminals.open': { params: TerminalOpenParams, result: TerminalInfo },
  'terminals.list': { params: z.object({}).strict(), result: z.array(TerminalInfo) },
  'terminals.rename': { params: ById.extend({ name: TerminalName }).strict(), result: TerminalInfo },
  /** Answers once the shell has the new size (a command typed next sees it); the last resize of any client wins. */
  'terminals.resize': { params: ById.extend(TerminalSize.shape).strict(), result: TerminalInfo },
  /** New layout order: every open terminal's id, once each. */
  'terminals.reorder': { params: z.object({ ids: z.array(TerminalId).max(256) }).strict(), result: z.array(TerminalInfo) },
  /** Ends the shell and forgets the session (and its saved screen). */
  'terminals.close': { params: ById, result: z.object({ id: TerminalId, closed: z.literal(true) }) },
  /**
   * Attaches the calling client to the session's output: the reply names a stream of this client's own
   * (after the reply: `stream.data` with the serialized screen, then live output). Input goes back as
   * `stream.write`, acknowledgements as `stream.ack`; `stream.close` detaches without ending the shell.
   * Acknowledge the UTF-16 length of the data processed (the screen too), every `streamFlow.ackEvery`: the shell
   * is paused while any client has more than `highWatermark` unacknowledged, and a client that stays above it
   * for 5 s is detached (`stream.end` with CONFLICT; attach again to get the screen as it is). The stream ends
   * (`stream.end` with the last exit code) when the terminal is closed; an exited shell's stream stays open.
   */
  'terminals.attach': { params: ById, result: z.object({ stream: z.string(), terminal: TerminalInfo }) }
} as const

/** The most a client may write into a stream in one `stream.write` (UTF-16 code units): a paste is split by the client. */
export const MAX_STREAM_WRITE = 65_536

/**
 * opened (also each terminal revived after a restart), renamed, resized, reordered, exited (the shell ended, or
 * could not start), connecting (its container stopped), reconnected (a fresh shell below a marker), closed.
 */
export const TerminalChange = z.object({
  kind: z.enum(['opened', 'renamed', 'resized', 'reordered', 'exited', 'connecting', 'reconnected', 'closed']),
  terminal: TerminalInfo
})
export type TerminalChange = z.infer<typeof TerminalChange>

export const terminalEvents = {
  'terminals.changed': TerminalChange
} as const
