import { readFileSync } from 'node:fs'

/** The user the app runs as when the monitor drops privileges (`SANDLOT_APP_USER`, `node` in the image). */
export interface AppUser {
  name: string
  uid: number
  gid: number
  home: string
}

/** Linux capability numbers (capability.h) the monitor needs to start the app as another user and to signal it. */
const CAPABILITIES = { CAP_KILL: 5, CAP_SETGID: 6, CAP_SETUID: 7 } as const
export const REQUIRED_CAPABILITIES = Object.keys(CAPABILITIES) as (keyof typeof CAPABILITIES)[]

/** How the monitor runs the app: as itself (no app user configured), or as another user, switched at each spawn. */
export type AppIdentity = { kind: 'same-user' } | { kind: 'switch'; user: AppUser }

/** The facts `appIdentity` decides on; read from the process and /proc, or given by tests. */
export interface IdentityFacts {
  /** SANDLOT_APP_USER; empty or unset: the app runs as the monitor's own user. */
  appUserName: string | undefined
  uid: number
  /** /etc/passwd. */
  passwd: string
  /** The `CapEff:` line's hex value from /proc/self/status. */
  effectiveCapabilities: string | undefined
}

/**
 * Decides who runs the app. Under root (the image), the app runs as SANDLOT_APP_USER, which needs
 * CAP_SETUID, CAP_SETGID (the switch) and CAP_KILL (signals across users). Running it as the monitor's own user
 * would let it open the monitor's file descriptors and write records in its name, so a root monitor without
 * those capabilities refuses to start rather than run the app as root. A non-root monitor runs the app as
 * itself: it can only be the app user already (then a warning says the records are not protected).
 */
export function appIdentity(facts: IdentityFacts): { identity: AppIdentity; warning?: string } {
  const name = facts.appUserName?.trim()
  if (!name) return { identity: { kind: 'same-user' } }
  const user = passwdEntry(facts.passwd, name)
  if (!user) throw new Error(`SANDLOT_APP_USER names "${name}", but /etc/passwd has no such user`)
  if (facts.uid === user.uid) {
    return {
      identity: { kind: 'same-user' },
      warning:
        `running as the app's own user ${name} (uid ${user.uid}): the app could write records in the monitor's name. ` +
        `Run the monitor as root with ${REQUIRED_CAPABILITIES.join(', ')} (Sandlot's containers do)`
    }
  }
  if (facts.uid !== 0) {
    throw new Error(`the monitor runs as uid ${facts.uid} and cannot start the app as ${name} (uid ${user.uid}): run it as root, or as ${name}`)
  }
  const missing = missingCapabilities(facts.effectiveCapabilities)
  if (missing.length > 0) {
    throw new Error(
      `the monitor runs as root to start the app as ${name} and lacks ${missing.join(', ')}: ` +
        `create the container with ${missing.map((c) => `--cap-add ${c.slice('CAP_'.length)}`).join(' ')}`
    )
  }
  return { identity: { kind: 'switch', user } }
}

/** The capabilities of REQUIRED_CAPABILITIES missing from a CapEff hex mask (all of them when it is unreadable). */
export function missingCapabilities(capEffHex: string | undefined): string[] {
  if (!capEffHex || !/^[0-9a-f]+$/i.test(capEffHex)) return [...REQUIRED_CAPABILITIES]
  const mask = BigInt(`0x${capEffHex}`)
  return REQUIRED_CAPABILITIES.filter((name) => ((mask >> BigInt(CAPABILITIES[name])) & 1n) === 0n)
}

export function passwdEntry(passwd: string, name: string): AppUser | null {
  for (const line of passwd.split('\n')) {
    const fields = line.split(':')
    if (fields[0] !== name || fields.length < 7) continue
    const uid = Number(fields[2])
    const gid = Number(fields[3])
    if (!Number.isInteger(uid) || !Number.isInteger(gid)) return null
    return { name, uid, gid, home: fields[5]! }
  }
  return null
}

/** The facts of this process (Linux). */
export function processIdentityFacts(env: NodeJS.ProcessEnv): IdentityFacts {
  const read = (path: string) => {
    try {
      return readFileSync(path, 'utf8')
    } catch {
      return ''
    }
  }
  return {
    appUserName: env.SANDLOT_APP_USER,
    uid: process.getuid?.() ?? -1,
    passwd: read('/etc/passwd'),
    effectiveCapabilities: /^CapEff:\s*([0-9a-f]+)$/im.exec(read('/proc/self/status'))?.[1]
  }
}

/** The app's environment under another user: its own HOME, USER and LOGNAME, not root's. */
export function appEnvironment(base: NodeJS.ProcessEnv, identity: AppIdentity): NodeJS.ProcessEnv {
  if (identity.kind === 'same-user') return base
  const { name, home } = identity.user
  return { ...base, HOME: home, USER: name, LOGNAME: name }
}
