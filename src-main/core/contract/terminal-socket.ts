import { z } from 'zod'
import { ErrorInfo } from './errors'
import { TerminalInfo, TerminalSize } from './terminal'

/**
 * JSON text frames of a terminal's API WebSocket (`/ws/terminals/<id>`); the terminal's bytes travel as binary
 * frames. Acknowledgements count the bytes of binary frames processed: the server pauses the shell while this
 * client has more than `streamFlow.highWatermark` unacknowledged, as it does for the window.
 */
export const TerminalSocketClientFrame = z.discriminatedUnion('type', [
  z.object({ type: z.literal('resize') }).extend(TerminalSize.shape).strict(),
  z.object({ type: z.literal('ack'), bytes: z.number().int().positive() }).strict()
])
export type TerminalSocketClientFrame = z.infer<typeof TerminalSocketClientFrame>

export const TerminalSocketServerFrame = z.discriminatedUnion('type', [
  /** First frame: the session as it is; the serialized screen follows as binary frames, then live output. */
  z.object({ type: z.literal('ready'), terminal: TerminalInfo }),
  /** The answer to a resize: the terminal with its new size. */
  z.object({ type: z.literal('resized'), terminal: TerminalInfo }),
  /** The shell ended (the session stays, with its screen, until closed). */
  z.object({ type: z.literal('exit'), exitCode: z.number().int().nullable() }),
  /** A frame was refused (nothing was done), or the socket is about to close for this reason. */
  z.object({ type: z.literal('error'), error: ErrorInfo }),
  /** The terminal was closed (or this client fell too far behind: `error`); the socket closes next. */
  z.object({ type: z.literal('end'), exitCode: z.number().int().nullable(), error: ErrorInfo.optional() })
])
export type TerminalSocketServerFrame = z.infer<typeof TerminalSocketServerFrame>
