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

/** The engine's log stream of a container. dockerode buffers the whole log unless it follows; the engine API streams either way. */
function openLog(docker: Dockerode, containerId: string, query: RecordsQuery, follow: boolean): Promise<NodeJS.ReadableStream & { destroy(error?: Error): void }> {
  return new Promise((resolve, reject) => {
    docker.modem.dial(
      {
        path: `/containers/${encodeURIComponent(containerId)}/logs?`,
        method: 'GET',
        isStream: true,
        statusCodes: { 200: true, 404: 'no such container', 500: 'server error' },
        options: { ...logOptions(query), follow }
      },
      (err: unknown, data: unknown) => (err ? reject(err) : resolve(data as NodeJS.ReadableStream & { destroy(error?: Error): void }))
    )
  })
}

/** Splits a log stream into its lines as they arrive; settles once the stream ends, or fails with what broke it. */
function pump(stream: NodeJS.ReadableStream & { destroy(error?: Error): void }, onLine: (stream: LogStreamName, line: string) => void): Promise<void> {
  const splitter = new LogLineSplitter(onLine)
  return new Promise<void>((resolve, reject) => {
    let settled = false
    const settle = (err?: unknown): void => {
      if (settled) return
      settled = true
      if (err) return reject(err)
      splitter.end()
      resolve()
    }
    stream.on('data', (chunk: Buffer) => {
      try {
        splitter.push(chunk)
      } catch (err) {
        stream.destroy(err as Error)
      }
    })
    stream.on('end', () => settle())
    stream.on('close', () => settle())
    stream.on('error', (err) => settle(err))
  })
}

/**
 * Reads the lines the container has logged (since a point) and returns. Streamed, not buffered: lines are
 * handled while the engine is still sending, so a long log costs the engine's time or ours, not both.
 */
export async function readLogLines(docker: Dockerode, containerId: string, query: RecordsQuery, onLine: (stream: LogStreamName, line: string) => void): Promise<void> {
  await pump(await openLog(docker, containerId, query, false), onLine)
}

/** Reads everything the container has logged (since a point) as records, and returns. */
export function readMonitorRecords(docker: Dockerode, containerId: string, query: RecordsQuery, handlers: RecordHandlers): Promise<void> {
  return readLogLines(docker, containerId, query, (s, line) => dispatch(s, line, handlers))
}

export interface RecordFollower {
  /** Settles when the container's log stream ends (the container stopped) or `close()` was called. */
  ended: Promise<void>
  close(): void
}

/** Follows the container's log stream live, record by record. */
export async function followMonitorRecords(docker: Dockerode, containerId: string, query: RecordsQuery, handlers: RecordHandlers): Promise<RecordFollower> {
  const stream = await openLog(docker, containerId, query, true)
  const ended = pump(stream, (s, line) => dispatch(s, line, handlers)).catch(() => undefined)
  return { ended, close: () => stream.destroy() }
}
