import { randomBytes } from 'node:crypto'
import type { Clock } from './clock'
import { PROTOCOL_VERSION, type MonitorRecord } from './protocol'

type Envelope = 'v' | 'boot' | 'seq' | 'ts'
type Distribute<T> = T extends unknown ? Omit<T, Envelope> : never
/** A record as the monitor composes it: the writer adds version, boot, sequence number and time. */
export type RecordBody = Distribute<MonitorRecord>

/**
 * Writes records as NDJSON, one line each, to the monitor's stdout (the container log the host
 * follows). Sequence numbers are consecutive within a boot so the host can see a gap.
 * process.stdout is synchronous for pipes and files on Linux, so a slow reader slows the monitor
 * down (and, through the app's pipes, the app) instead of filling memory.
 */
export class RecordWriter {
  private seq = 0
  readonly boot: string

  constructor(
    private readonly out: { write(chunk: string): unknown },
    private readonly clock: Clock,
    boot = randomBytes(8).toString('hex')
  ) {
    this.boot = boot
  }

  write<B extends RecordBody>(body: B): B & Pick<MonitorRecord, Envelope> {
    const record = { v: PROTOCOL_VERSION, boot: this.boot, seq: this.seq++, ts: new Date(this.clock.now()).toISOString(), ...body }
    this.out.write(JSON.stringify(record) + '\n')
    return record
  }
}
