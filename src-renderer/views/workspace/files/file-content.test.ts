import { describe, expect, it } from 'vitest'
import { FILE_CAP } from '../../../../src-main/core/contract/files'
import { base64ToBytes, bytesToBase64, downloadCommand, mebibytes, textOf, uploadProblem } from './file-content'

describe('file content', () => {
  it('tells text (UTF-8) from binary data', () => {
    expect(textOf(new TextEncoder().encode('héllo ✓\n'))).toBe('héllo ✓\n')
    expect(textOf(new Uint8Array([0x68, 0x00, 0x69]))).toBeUndefined()
    expect(textOf(new Uint8Array([0xff, 0xfe, 0x41]))).toBeUndefined()
    expect(textOf(new Uint8Array())).toBe('')
  })

  it('turns bytes into base64 and back, large ones included', () => {
    const bytes = new Uint8Array(200_000).map((_, i) => (i * 7) % 256)
    const base64 = bytesToBase64(bytes)
    expect(base64).toBe(Buffer.from(bytes).toString('base64'))
    expect(base64ToBytes(base64)).toEqual(bytes)
  })

  it('refuses names the folder cannot hold and files over the cap, saying what to do', () => {
    expect(uploadProblem({ name: 'notes.md', size: 10 }, '/app', 'web')).toBeUndefined()
    expect(uploadProblem({ name: 'notes.md', size: FILE_CAP }, '/app', 'web')).toBeUndefined()
    expect(uploadProblem({ name: '..', size: 1 }, '/app', 'web')).toMatch(/rename the file/)
    expect(uploadProblem({ name: 'a/b', size: 1 }, '/app', 'web')).toMatch(/\//)
    expect(uploadProblem({ name: 'é'.repeat(200), size: 1 }, '/app', 'web')).toMatch(/shorter name/)
    expect(uploadProblem({ name: 'big file.bin', size: FILE_CAP + 20_000 }, '/app/data', 'web')).toBe(
      `big file.bin is 4.02 MiB, over the 4 MiB the window uploads at once. Copy it from a terminal: \`sandlot exec -i web -- sh -c 'cat > "$0"' '/app/data/big file.bin' < 'big file.bin'\``
    )
  })

  it('says sizes near the cap in MiB, one byte over it as over it', () => {
    expect(mebibytes(FILE_CAP)).toBe('4 MiB')
    expect(mebibytes(FILE_CAP + 1)).toBe('4.01 MiB')
  })

  it('says how to copy out a file too large for the window', () => {
    expect(downloadCommand('web', "/app/it's.bin")).toBe(`sandlot exec web -- cat '/app/it'\\''s.bin' > 'it'\\''s.bin'`)
  })
})
