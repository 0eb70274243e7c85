import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { readExtraCa } from './extra-ca'

const pem = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n'
function file(content: string): string {
  const path = join(mkdtempSync(join(tmpdir(), 'sandlot-ca-')), 'ca.pem')
  writeFileSync(path, content)
  return path
}

describe('extra CA bundle', () => {
  it('prefers the setting, then NODE_EXTRA_CA_CERTS, else none', () => {
    const a = file(pem)
    const b = file(pem)
    expect(readExtraCa(a, { NODE_EXTRA_CA_CERTS: b })).toMatchObject({ file: a, source: 'settings' })
    expect(readExtraCa(undefined, { NODE_EXTRA_CA_CERTS: b })).toMatchObject({ file: b, source: 'NODE_EXTRA_CA_CERTS' })
    expect(readExtraCa(undefined, {})).toBeUndefined()
  })

  it('names the source to fix when the file is missing or not PEM', () => {
    expect(() => readExtraCa('/nonexistent/ca.pem', {})).toThrow(/from settings/)
    expect(() => readExtraCa(undefined, { NODE_EXTRA_CA_CERTS: file('not a cert') })).toThrow(/holds no PEM certificate/)
  })
})
