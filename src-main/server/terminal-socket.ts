import { StringDecoder } from 'node:string_decoder'
import { randomBytes } from 'node:crypto'
import type { WebSocket } from 'ws'
import { z } from 'zod'
import type { CoreApi, StreamHandle } from '../core/api'
import { MAX_STREAM_WRITE, TerminalSocketClientFrame, type ErrorInfo, type TerminalInfo, type TerminalSocketServerFrame } from '../core/contract'
import { WS_CLOSE_NOT_FOUND } from '../core/contract/ws-transport'
import { toErrorInfo } from '../core/sandlot-error'
import { AckLedger } from './ack-ledger'

/** The normal close code: the terminal was closed. */
const CLOSE_NORMAL = 1000

/**
 * One API client attached to a terminal session (the window's sessions: `terminals.attach` through the core).
 * Output goes out as UTF-8 binary frames after a `ready` frame; binary frames in are input, decoded across frame
 * borders; JSON text frames resize and acknowledge. Closing the socket detaches: the shell goes on.
 */
export function serveTerminalSocket(ws: WebSocket, api: CoreApi, id: string): { end(): void } {
  const ledger = new AckLedger()
  const input = new StringDecoder('utf8')
  /** Output held until the `ready` frame has gone out: the screen arrives while the attach is answered. */
  let held: Buffer[] | undefined = []
  let handle: StreamHandle | undefined
  let ended = false
  const sendJson = (frame: TerminalSocketServerFrame): void => {
    if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(frame))
  }
  const output = (text: string): void => {
    const bytes = Buffer.from(text, 'utf8')
    ledger.sent(bytes.length, text.length)
    if (held) held.push(bytes)
    else if (ws.readyState === ws.OPEN) ws.send(bytes)
  }
  const unsubscribe = api.subscribe('terminals.changed', ({ kind, terminal }) => {
    if (terminal.id === id && kind === 'exited') sendJson({ type: 'exit', exitCode: terminal.exitCode })
  })
  const end = (): void => {
    if (ended) return
    ended = true
    unsubscribe()
    handle?.close()
  }
  const fail = (error: ErrorInfo, code: number): void => {
    sendJson({ type: 'error', error })
    end()
    ws.close(code, error.message.slice(0, 120))
  }

  void api
    .openStream('terminals.attach', { id }, `s${randomBytes(12).toString('base64url')}`, {
      data: output,
      end: (exitCode, error) => {
        sendJson({ type: 'end', exitCode, ...(error ? { error } : {}) })
        handle = undefined
        end()
        ws.close(CLOSE_NORMAL, 'the terminal ended')
      }
    })
    .then(
      ({ result, handle: opened }) => {
        if (ended) return opened.close()
        handle = opened
        sendJson({ type: 'ready', terminal: (result as { terminal: TerminalInfo }).terminal })
        for (const bytes of held ?? []) if (ws.readyState === ws.OPEN) ws.send(bytes)
        held = undefined
      },
      (err: unknown) => {
        const error = toErrorInfo(err)
        fail(error, error.code === 'NOT_FOUND' ? WS_CLOSE_NOT_FOUND : 1011)
      }
    )

  ws.on('message', (data, isBinary) => {
    if (handle === undefined) return
    if (isBinary) {
      const text = input.write(Buffer.isBuffer(data) ? data : Buffer.concat(data as Buffer[]))
      for (let i = 0; i < text.length; i += MAX_STREAM_WRITE) handle.write(text.slice(i, i + MAX_STREAM_WRITE))
      return
    }
    void control(data.toString())
  })
  ws.on('close', end)

  async function control(text: string): Promise<void> {
    let frame: TerminalSocketClientFrame
    try {
      const parsed = TerminalSocketClientFrame.safeParse(JSON.parse(text))
      if (!parsed.success) return sendJson({ type: 'error', error: badFrame(z.prettifyError(parsed.error)) })
      frame = parsed.data
    } catch {
      return sendJson({ type: 'error', error: badFrame('text frames are JSON (input goes in binary frames)') })
    }
    if (frame.type === 'ack') {
      handle?.ack(ledger.ack(frame.bytes))
      return
    }
    try {
      sendJson({ type: 'resized', terminal: await api.call('terminals.resize', { id, cols: frame.cols, rows: frame.rows }) })
    } catch (err) {
      sendJson({ type: 'error', error: toErrorInfo(err) })
    }
  }

  return { end }
}

function badFrame(reason: string): ErrorInfo {
  return { code: 'BAD_REQUEST', message: `Invalid frame: ${reason}`, hint: 'Nothing was done: send {"type":"resize","cols","rows"} or {"type":"ack","bytes"} as text, input as binary.' }
}
