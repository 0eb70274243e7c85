import type Dockerode from 'dockerode'
import { MonitorRecordError, parseMonitorRecord, type MonitorRecord } from '../../../container/src/protocol'
import { LogLineSplitter, splitTimestamp, toDockerSince, type LogStreamName } from './log-frames'

export interface ReceivedRecord {
  /** Docker's own timestamp of the line: the resume point after a restart of anything. */
  dockerTime: string
  record: MonitorRecord
}

/** A line that is not a valid record: the monitor's diagnostics (stderr), or a bad or foreign record. */
export interface RecordProblem {
  dockerTime: string | undefined
  stream: LogStreamName
  line: string
  reason: 'diagnostic' | MonitorRecordError['reason']
  message: string
}

export interface RecordHandlers {
  onRecord: (received: ReceivedRecord) => void
  onProblem?: (problem: RecordProblem) => void
}

/** Parses one timestamped log line of a monitor container. Only stdout carries records. */
export function readMonitorLine(stream: LogStreamName, raw: string): ReceivedRecord | RecordProblem {
  const stamped = splitTimestamp(raw)
  const dockerTime = stamped?.time
  const line = stamped?.text ?? raw
  if (stream === 'stderr') return { dockerTime, stream, line, reason: 'diagnostic', message: line }
  try {
    if (dockerTime === undefined) throw new MonitorRecordError('log line without a docker timestamp', 'json')
    return { dockerTime, record: parseMonitorRecord(line) }
  } catch (err) {
    if (!(err instanceof MonitorRecordError)) throw err
    return { dockerTime, stream, line, reason: err.reason, message: err.message }
  }
}

function dispatch(stream: LogStreamName, raw: string, handlers: RecordHandlers): void {
  const result = readMonitorLine(stream, raw)
  if ('record' in result) handlers.onRecord(result)
  else handlers.onProblem?.(result)
}

export interface RecordsQuery {
  /** Docker time of the last record already handled; only later lines are read. */
  since?: string
  /** Only this many of the lines already logged (0: only what comes next). */
  tail?: number
}

function logOptions(query: RecordsQuery) {
  // Docker takes `since` as seconds with a fraction; its typings say number.
  const since = query.since ? { since: toDockerSince(query.since) as unknown as number } : {}
  return { stdout: true, stderr: true, timestamps: true, ...since, ...(query.tail === undefined ? {} : { tail: query.tail }) }
}

/**
 * Reads everything the container has logged (since a point) and returns. Streamed, not buffered: records are
 * handled while the engine is still sending, so a long log costs the engine's time or ours, not both.
 */
export async function readMonitorRecords(docker: Dockerode, containerId: string, query: RecordsQuery, handlers: RecordHandlers): Promise<void> {
  // dockerode buffers the whole log unless it follows; the engine API streams either way.
  const stream = await new Promise<NodeJS.ReadableStream>((resolve, reject) => {
    docker.modem.dial(
      {
        path: `/containers/${encodeURIComponent(containerId)}/logs?`,
        method: 'GET',
        isStream: true,
        statusCodes: { 200: true, 404: 'no such container', 500: 'server error' },
        options: { ...logOptions(query), follow: false }
      },
      (err: unknown, data: unknown) => (err ? reject(err) : resolve(data as NodeJS.ReadableStream))
    )
  })
  const splitter = new LogLineSplitter((s, line) => dispatch(s, line, handlers))
  await new Promise<void>((resolve, reject) => {
    stream.on('data', (chunk: Buffer) => {
      try {
        splitter.push(chunk)
      } catch (err) {
        ;(stream as NodeJS.ReadableStream & { destroy(error?: Error): void }).destroy(err as Error)
      }
    })
    stream.on('end', resolve)
    stream.on('close', resolve)
    stream.on('error', reject)
  })
  splitter.end()
}

export interface RecordFollower {
  /** Settles when the container's log stream ends (the container stopped) or `close()` was called. */
  ended: Promise<void>
  close(): void
}

/** Follows the container's log stream live, record by record. */
export async function followMonitorRecords(docker: Dockerode, containerId: string, query: RecordsQuery, handlers: RecordHandlers): Promise<RecordFollower> {
  const stream = (await docker.getContainer(containerId).logs({ ...logOptions(query), follow: true })) as NodeJS.ReadableStream & {
    destroy(): void
  }
  const splitter = new LogLineSplitter((s, line) => dispatch(s, line, handlers))
  const ended = new Promise<void>((resolve) => {
    stream.on('data', (chunk: Buffer) => splitter.push(chunk))
    const finish = (): void => {
      splitter.end()
      resolve()
    }
    stream.on('end', finish)
    stream.on('close', finish)
    stream.on('error', finish)
  })
  return { ended, close: () => stream.destroy() }
}
