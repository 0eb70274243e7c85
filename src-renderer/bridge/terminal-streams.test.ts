import { describe, expect, it } from 'vitest'
import { BridgeError } from './bridge'
import { terminalInfo } from './terminal-fixture'
import { chunks, TerminalStreams, WRITE_CHUNK, type StreamClientFrame, type TerminalStreamListener } from './terminal-streams'

const info = (id: string) => terminalInfo({ id })

/** A link whose attach replies the test settles by hand, recording every frame sent. */
function fakeLink() {
  const sent: StreamClientFrame[] = []
  const replies: Array<{ id: string; resolve: (stream: string) => void; reject: (err: BridgeError) => void }> = []
  let up = true
  const link = {
    call: ((_method: 'terminals.attach', { id }: { id: string }) =>
      new Promise((resolve, reject) => {
        if (!up) {
          reject(new BridgeError({ code: 'NOT_SENT', message: 'down' }))
          return
        }
        replies.push({ id, resolve: (stream) => resolve({ stream, terminal: info(id) }), reject })
      })) as never,
    send: (frame: StreamClientFrame) => {
      if (up) sent.push(frame)
      return up
    }
  }
  return { link, sent, replies, setUp: (value: boolean) => (up = value) }
}

function recorder() {
  const events: string[] = []
  const pending: Array<() => void> = []
  const listener: TerminalStreamListener = {
    attached: (terminal) => events.push(`attached ${terminal.id}`),
    data: (text, processed) => {
      events.push(`data ${text}`)
      pending.push(processed)
    },
    detached: () => events.push('detached'),
    ended: ({ exitCode, error }) => events.push(`ended ${exitCode} ${error?.code ?? ''}`.trim())
  }
  return { events, listener, processAll: () => pending.splice(0).forEach((done) => done()) }
}

const flush = () => new Promise((resolve) => setTimeout(resolve, 0))

describe('terminal streams', () => {
  it('attaches, then routes its stream’s output (even output that came before the reply was handled)', async () => {
    const { link, replies } = fakeLink()
    const streams = new TerminalStreams(link)
    const { events, listener } = recorder()
    streams.attach('tAAAA1', listener)
    expect(replies.map((reply) => reply.id)).toEqual(['tAAAA1'])
    replies[0]!.resolve('x1')
    streams.receive({ type: 'stream.data', stream: 'x1', data: 'screen' })
    streams.receive({ type: 'stream.data', stream: 'other', data: 'not ours' })
    await flush()
    streams.receive({ type: 'stream.data', stream: 'x1', data: 'live' })
    expect(events).toEqual(['attached tAAAA1', 'data screen', 'data live'])
  })

  it('acknowledges what the view processed, in batches of the contract’s size', async () => {
    const { link, sent, replies } = fakeLink()
    const streams = new TerminalStreams(link)
    const { listener, processAll } = recorder()
    streams.attach('tAAAA1', listener)
    replies[0]!.resolve('x1')
    await flush()
    streams.receive({ type: 'stream.data', stream: 'x1', data: 'a'.repeat(3_000) })
    streams.receive({ type: 'stream.data', stream: 'x1', data: 'b'.repeat(3_000) })
    // Received is not processed: no ack until xterm says it rendered the text.
    expect(sent).toEqual([])
    processAll()
    expect(sent).toEqual([{ type: 'stream.ack', stream: 'x1', bytes: 6_000 }])
  })

  it('sends input in bounded pieces and detaches on close, dropping what comes after', async () => {
    const { link, sent, replies } = fakeLink()
    const streams = new TerminalStreams(link)
    const { events, listener } = recorder()
    const stream = streams.attach('tAAAA1', listener)
    stream.write('lost: not attached yet')
    replies[0]!.resolve('x1')
    await flush()
    stream.write('x'.repeat(WRITE_CHUNK + 1))
    stream.close()
    stream.write('after close')
    streams.receive({ type: 'stream.data', stream: 'x1', data: 'late' })
    expect(sent.map((frame) => (frame.type === 'stream.write' ? `write ${frame.data.length}` : frame.type))).toEqual([
      `write ${WRITE_CHUNK}`,
      'write 1',
      'stream.close'
    ])
    expect(events).toEqual(['attached tAAAA1'])
  })

  it('closes a stream whose attach answered after the view had gone', async () => {
    const { link, sent, replies } = fakeLink()
    const streams = new TerminalStreams(link)
    const { events, listener } = recorder()
    streams.attach('tAAAA1', listener).close()
    replies[0]!.resolve('x1')
    await flush()
    expect(sent).toEqual([{ type: 'stream.close', stream: 'x1' }])
    expect(events).toEqual([])
  })

  it('attaches again after the link comes back, with a fresh count of acknowledgements', async () => {
    const { link, sent, replies, setUp } = fakeLink()
    const streams = new TerminalStreams(link)
    const { events, listener, processAll } = recorder()
    streams.attach('tAAAA1', listener)
    replies[0]!.resolve('x1')
    await flush()
    streams.receive({ type: 'stream.data', stream: 'x1', data: 'a'.repeat(4_000) })
    setUp(false)
    streams.linkDropped()
    processAll()
    setUp(true)
    streams.linkOpened()
    expect(replies.map((reply) => reply.id)).toEqual(['tAAAA1', 'tAAAA1'])
    replies[1]!.resolve('x2')
    await flush()
    streams.receive({ type: 'stream.data', stream: 'x2', data: 'b'.repeat(4_000) })
    processAll()
    // The old stream's 4,000 were not added to the new stream's count.
    expect(sent).toEqual([])
    expect(events).toEqual(['attached tAAAA1', `data ${'a'.repeat(4_000)}`, 'detached', 'attached tAAAA1', `data ${'b'.repeat(4_000)}`])
  })

  it('tells the view when the core ends the stream or refuses to attach', async () => {
    const { link, replies } = fakeLink()
    const streams = new TerminalStreams(link)
    const first = recorder()
    const second = recorder()
    streams.attach('tAAAA1', first.listener)
    streams.attach('tBBBB2', second.listener)
    replies[0]!.resolve('x1')
    replies[1]!.reject(new BridgeError({ code: 'NOT_FOUND', message: 'no such terminal' }))
    await flush()
    streams.receive({ type: 'stream.end', stream: 'x1', exitCode: 0 })
    expect(first.events).toEqual(['attached tAAAA1', 'ended 0'])
    expect(second.events).toEqual(['ended null NOT_FOUND'])
    // Ended attachments do not come back after a reconnect.
    streams.linkDropped()
    streams.linkOpened()
    expect(replies).toHaveLength(2)
  })
})

describe('chunks', () => {
  it('splits text without cutting a surrogate pair', () => {
    expect(chunks('', 4)).toEqual([])
    expect(chunks('abcd', 4)).toEqual(['abcd'])
    expect(chunks('abc😀de', 4)).toEqual(['abc', '😀de'])
    expect(chunks('abcdefghi', 4)).toEqual(['abcd', 'efgh', 'i'])
  })
})

describe('a view that fell behind', () => {
  it('attaches again when the core let it go for lagging (CONFLICT), and only then', async () => {
    const { link, replies } = fakeLink()
    const streams = new TerminalStreams(link)
    const { events, listener } = recorder()
    streams.attach('tAAAA1', listener)
    replies[0]!.resolve('x1')
    await flush()
    streams.receive({ type: 'stream.end', stream: 'x1', exitCode: null, error: { code: 'CONFLICT', message: 'fell too far behind' } })
    expect(events).toEqual(['attached tAAAA1', 'detached'])
    await expect.poll(() => replies.length).toBe(2)
    replies[1]!.resolve('x2')
    await flush()
    expect(events).toEqual(['attached tAAAA1', 'detached', 'attached tAAAA1'])
  })
})
