import { describe, expect, it } from 'vitest'
import { parseEnvAssignment, parseEnvFile } from './env-file'

describe('environment files', () => {
  it('reads NAME=value lines, skipping blanks and comments', () => {
    const text = '\uFEFF# settings\nAPI_URL=https://x.test/a=b\n\nexport TOKEN="s3cret value"\r\nEMPTY=\nQUOTE=\'it\'\n'
    expect(parseEnvFile(text, '.env')).toEqual({ API_URL: 'https://x.test/a=b', TOKEN: 's3cret value', EMPTY: '', QUOTE: 'it' })
  })

  it('names every bad line', () => {
    expect(() => parseEnvFile('GOOD=1\n1BAD=x\nno equals\nNUL=a\0b\n', 'dev.env')).toThrow(/dev\.env:2: "1BAD".*\n.*dev\.env:3: "no equals" is not NAME=value\n.*dev\.env:4: the value of NUL contains a NUL/)
  })

  it('keeps an unmatched quote as written', () => {
    expect(parseEnvAssignment('A="x')).toEqual({ name: 'A', value: '"x' })
    expect(parseEnvAssignment('=x')).toHaveProperty('problem')
  })
})
