import { describe, expect, it } from 'vitest'
import { NdjsonLines } from './ndjson-lines'

describe('NdjsonLines', () => {
  it('holds a line split across chunks until it is complete', () => {
    const lines = new NdjsonLines()
    expect(lines.push(Buffer.from('{"a":1}\n{"b"'))).toEqual(['{"a":1}'])
    expect(lines.push(Buffer.from(':2'))).toEqual([])
    expect(lines.push(Buffer.from('}\n{"c":3}\n'))).toEqual(['{"b":2}', '{"c":3}'])
  })

  it('decodes a multi-byte character split between chunks', () => {
    const bytes = Buffer.from('{"name":"héllo✓"}\n')
    const cut = bytes.indexOf(Buffer.from('✓')) + 1
    const lines = new NdjsonLines()
    expect(lines.push(bytes.subarray(0, cut))).toEqual([])
    expect(lines.push(bytes.subarray(cut))).toEqual(['{"name":"héllo✓"}'])
  })

  it('drops blank lines and carriage returns', () => {
    const lines = new NdjsonLines()
    expect(lines.push('\n{"a":1}\r\n\r\n{"b":2}\n')).toEqual(['{"a":1}', '{"b":2}'])
  })

  it('survives one byte at a time', () => {
    const text = '{"x":"y"}\n{"z":1}\n'
    const lines = new NdjsonLines()
    const out = [...Buffer.from(text)].flatMap((byte) => lines.push(Buffer.from([byte])))
    expect(out).toEqual(['{"x":"y"}', '{"z":1}'])
  })
})
