// How a client reaches the core over a WebSocket (docs/wire-protocol.md). Browser-safe constants shared by the
// renderer's bridge and `sandlot serve`; the frames themselves are the contract's ClientMessage/ServerMessage.

/** The one WebSocket endpoint of `sandlot serve`. */
export const WS_PATH = '/ws'

/** The subprotocol a client asks for and the server selects: the wire version. */
export const WS_PROTOCOL = 'sandlot.v1'

/**
 * Browsers cannot set headers on a WebSocket, so the token travels as a second offered subprotocol,
 * `sandlot.token.<token>`. The server never selects (echoes) it.
 */
export const WS_TOKEN_PROTOCOL_PREFIX = 'sandlot.token.'

/** Close code for a missing or wrong token: the client shows the sign-in hint instead of reconnecting. */
export const WS_CLOSE_UNAUTHORIZED = 4401

/** Close code when the server shuts down: the client reconnects. 1001 is the standard "going away". */
export const WS_CLOSE_GOING_AWAY = 1001

/** The id of an error reply to a message that could not be read at all, so it had no id to answer. */
export const UNREADABLE_MESSAGE_ID = '-'

export function wsProtocols(token: string): string[] {
  return [WS_PROTOCOL, `${WS_TOKEN_PROTOCOL_PREFIX}${token}`]
}

/**
 * The API's WebSocket per terminal session, `/ws/terminals/<id>` (docs/api.md): binary frames carry the terminal's
 * bytes both ways (UTF-8), text frames carry JSON (TerminalSocketClientFrame, TerminalSocketServerFrame). The
 * token is offered as for `/ws`, beside this subprotocol.
 */
export const WS_TERMINAL_PATH_PREFIX = '/ws/terminals/'
export const WS_TERMINAL_PROTOCOL = 'sandlot.terminal.v1'

/** The seeds' live event stream, `/ws/monitoring` (optionally `?workspace=<name>`): JSON text frames only. */
export const WS_MONITORING_PATH = '/ws/monitoring'
export const WS_MONITORING_PROTOCOL = 'sandlot.monitoring.v1'

/** Close code for a terminal that does not exist (or was closed meanwhile). */
export const WS_CLOSE_NOT_FOUND = 4404
