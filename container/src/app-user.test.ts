import { describe, expect, it } from 'vitest'
import { appEnvironment, appIdentity, missingCapabilities, passwdEntry, type IdentityFacts } from './app-user'

const PASSWD = 'root:x:0:0:root:/root:/bin/bash\nnode:x:1000:1000::/home/node:/bin/bash\n'
/** CapEff with exactly CAP_KILL, CAP_SETGID and CAP_SETUID, as Sandlot's containers give the monitor. */
const MONITOR_CAPS = '00000000000000e0'
const facts = (over: Partial<IdentityFacts>): IdentityFacts => ({ appUserName: 'node', uid: 0, passwd: PASSWD, effectiveCapabilities: MONITOR_CAPS, ...over })

describe('appIdentity', () => {
  it('switches to the app user when the monitor is root with the three capabilities it needs', () => {
    expect(appIdentity(facts({}))).toEqual({ identity: { kind: 'switch', user: { name: 'node', uid: 1000, gid: 1000, home: '/home/node' } } })
  })

  it('refuses to start as root without them, naming what to add, rather than run the app as root', () => {
    expect(() => appIdentity(facts({ effectiveCapabilities: '0000000000000000' }))).toThrow(
      'the monitor runs as root to start the app as node and lacks CAP_KILL, CAP_SETGID, CAP_SETUID: create the container with --cap-add KILL --cap-add SETGID --cap-add SETUID'
    )
    expect(() => appIdentity(facts({ effectiveCapabilities: '00000000000000c0' }))).toThrow(/lacks CAP_KILL: create the container with --cap-add KILL$/)
    expect(() => appIdentity(facts({ effectiveCapabilities: undefined }))).toThrow(/lacks CAP_KILL, CAP_SETGID, CAP_SETUID/)
  })

  it('runs the app as itself when it already is the app user, with a warning that its records are not protected', () => {
    const { identity, warning } = appIdentity(facts({ uid: 1000, effectiveCapabilities: '0000000000000000' }))
    expect(identity).toEqual({ kind: 'same-user' })
    expect(warning).toMatch(/^running as the app's own user node \(uid 1000\): the app could write records in the monitor's name/)
  })

  it('refuses another user, an unknown app user, and runs the app as itself when none is named', () => {
    expect(() => appIdentity(facts({ uid: 1001 }))).toThrow('the monitor runs as uid 1001 and cannot start the app as node (uid 1000): run it as root, or as node')
    expect(() => appIdentity(facts({ appUserName: 'nobody-here' }))).toThrow('SANDLOT_APP_USER names "nobody-here", but /etc/passwd has no such user')
    expect(appIdentity(facts({ appUserName: undefined }))).toEqual({ identity: { kind: 'same-user' } })
    expect(appIdentity(facts({ appUserName: ' ' }))).toEqual({ identity: { kind: 'same-user' } })
  })
})

describe('missingCapabilities', () => {
  it('reads the CapEff mask: a full set lacks nothing, an unreadable one lacks everything', () => {
    expect(missingCapabilities('000001ffffffffff')).toEqual([])
    expect(missingCapabilities('00000000000000a0')).toEqual(['CAP_SETGID'])
    expect(missingCapabilities('not hex')).toEqual(['CAP_KILL', 'CAP_SETGID', 'CAP_SETUID'])
  })
})

describe('passwdEntry and appEnvironment', () => {
  it('finds a user by name, and gives the app its own HOME, USER and LOGNAME instead of root’s', () => {
    expect(passwdEntry(PASSWD, 'root')).toEqual({ name: 'root', uid: 0, gid: 0, home: '/root' })
    expect(passwdEntry(PASSWD, 'nod')).toBeNull()
    const user = passwdEntry(PASSWD, 'node')!
    expect(appEnvironment({ HOME: '/root', PATH: '/usr/bin', USER: 'root' }, { kind: 'switch', user })).toEqual({
      HOME: '/home/node',
      PATH: '/usr/bin',
      USER: 'node',
      LOGNAME: 'node'
    })
    const same = { HOME: '/root' }
    expect(appEnvironment(same, { kind: 'same-user' })).toBe(same)
  })
})
