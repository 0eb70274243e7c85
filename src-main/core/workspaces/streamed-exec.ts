import { Writable } from 'node:stream'
import { StringDecoder } from 'node:string_decoder'
import type { StreamHandle, StreamSink } from '../api'
import type { ExecParams } from '../contract/exec'
import { toErrorInfo } from '../sandlot-error'
import { ranOutOfTime, standardInput, timedCommand, type StreamingExec } from './captured-exec'
import { groupLedCommand, LeaderLineTap, stopProcessGroup } from './exec-process-group'

/**
 * `workspaces.execStream`: the command as `workspaces.exec` runs it (the same timeout, folder and variables), its
 * stdout and stderr sent to the sink as they come, each decoded across chunk borders. The handle's close (a client
 * gone) stops the output and the command with everything it started, in the container (see exec-process-group).
 */
export function streamExec(exec: StreamingExec, params: ExecParams, sink: StreamSink): { result: Record<string, never>; handle: StreamHandle } {
  let detached = false
  const forward = (channel: 'stdout' | 'stderr') => {
    const decoder = new StringDecoder('utf8')
    return new Writable({
      write(chunk: Buffer, _encoding, done) {
        const text = decoder.write(chunk)
        if (!detached && text !== '') sink.data(text, channel)
        done()
      },
      final(done) {
        const rest = decoder.end()
        if (!detached && rest !== '') sink.data(rest, channel)
        done()
      }
    })
  }
  const stdout = forward('stdout')
  const stderr = new LeaderLineTap(forward('stderr'))
  const { cmd, place, timeoutMs } = timedCommand(params)
  const started = Date.now()
  let finished = false
  void exec(params.name, groupLedCommand(cmd), { stdout, stderr, ...standardInput(params) }, place).then(
    async (exitCode) => {
      finished = true
      await Promise.all([new Promise((resolve) => stdout.end(resolve)), new Promise((resolve) => stderr.end(resolve))])
      if (detached) return
      const timedOut = ranOutOfTime(exitCode, started, timeoutMs)
      sink.end(exitCode, timedOut ? { code: 'TIMEOUT', message: `The command ran longer than ${timeoutMs} ms and was stopped.`, hint: 'Give it a longer timeoutMs (at most an hour).' } : undefined)
    },
    (err: unknown) => {
      finished = true
      stderr.end()
      if (!detached) sink.end(null, toErrorInfo(err))
    }
  )
  return {
    result: {},
    handle: {
      // Standard input is given with the call (`stdin`); nothing is taken afterwards.
      write: () => undefined,
      // Output is not held back for acknowledgements: adapters bound what they buffer for a slow client.
      ack: () => undefined,
      close: () => {
        if (detached) return
        detached = true
        // A command that ended is left alone, with anything it meant to leave running.
        void stderr.pid.then((pid) => (pid === undefined || finished ? undefined : stopProcessGroup(exec, params.name, pid)))
      }
    }
  }
}
