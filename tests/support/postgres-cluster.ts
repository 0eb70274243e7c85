import { execFileSync, spawnSync } from 'node:child_process'
import { chmodSync, chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir, userInfo } from 'node:os'
import { join } from 'node:path'
import pg from 'pg'
import { freePort } from './http'

/**
 * A private PostgreSQL cluster for one test file: initdb + pg_ctl in a temporary folder, on a free loopback port,
 * stopped and removed at the end. The server refuses to run as root, so under root it runs as the `postgres`
 * user (Debian's package creates it). Tests against PostgreSQL use the server users would run.
 */
export interface PostgresCluster {
  /** postgres://sandlot@127.0.0.1:PORT/postgres */
  url: string
  /** A fresh, empty database on the cluster, for one test. */
  createDatabase(): Promise<string>
  /** Stops the server (fast shutdown: connections are cut); `start` brings it back on the same port and data. */
  pause(): void
  resume(): void
  stop(): void
}

export type ClusterStart = { cluster: PostgresCluster } | { unavailable: string }

export function postgresBinaries(): string | undefined {
  const root = '/usr/lib/postgresql'
  if (existsSync(root)) {
    const versions = readdirSync(root).filter((v) => existsSync(join(root, v, 'bin', 'initdb'))).sort((a, b) => Number(b) - Number(a))
    if (versions[0] !== undefined) return join(root, versions[0], 'bin')
  }
  const pgConfig = spawnSync('pg_config', ['--bindir'], { encoding: 'utf8' })
  const dir = pgConfig.status === 0 ? pgConfig.stdout.trim() : undefined
  return dir !== undefined && existsSync(join(dir, 'initdb')) ? dir : undefined
}

export async function startPostgresCluster(): Promise<ClusterStart> {
  const bin = postgresBinaries()
  if (bin === undefined) return { unavailable: 'PostgreSQL is not installed (apt-get install -y postgresql; .ci/run does it).' }
  const asRoot = userInfo().uid === 0
  const folder = mkdtempSync(join(tmpdir(), 'sandlot-pg-'))
  const port = await freePort()
  const run = (tool: string, args: string[]): void => {
    const command = asRoot ? 'runuser' : join(bin, tool)
    const argv = asRoot ? ['-u', 'postgres', '--', join(bin, tool), ...args] : args
    execFileSync(command, argv, { stdio: 'pipe', cwd: folder })
  }
  const data = join(folder, 'data')
  const start = (): void => run('pg_ctl', ['-D', data, '-o', `-k ${folder} -p ${port} -c listen_addresses=127.0.0.1 -c fsync=off`, '-l', join(folder, 'log'), '-w', 'start'])
  const stop = (): void => run('pg_ctl', ['-D', data, '-m', 'fast', '-w', 'stop'])
  try {
    if (asRoot) {
      chmodSync(folder, 0o700)
      chownSync(folder, Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim()), Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim()))
    }
    run('initdb', ['-D', data, '-A', 'trust', '-U', 'sandlot', '--no-sync'])
    start()
  } catch (err) {
    rmSync(folder, { recursive: true, force: true })
    const e = err as { stderr?: Buffer; message: string }
    return { unavailable: `PostgreSQL could not be started: ${e.stderr?.toString().trim() || e.message}` }
  }
  const url = `postgres://sandlot@127.0.0.1:${port}/postgres`
  let databases = 0
  return {
    cluster: {
      url,
      async createDatabase() {
        const name = `t${process.pid}_${++databases}`
        const client = new pg.Client({ connectionString: url })
        await client.connect()
        try {
          await client.query(`CREATE DATABASE ${name}`)
        } finally {
          await client.end()
        }
        return `postgres://sandlot@127.0.0.1:${port}/${name}`
      },
      pause: stop,
      resume: start,
      stop() {
        try {
          stop()
        } finally {
          rmSync(folder, { recursive: true, force: true })
        }
      }
    }
  }
}

