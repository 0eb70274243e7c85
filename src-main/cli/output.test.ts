import { describe, expect, it } from 'vitest'
import { capturedIo } from './testing/captured-io'
import { printContainerLine, printError, printResult } from './output'

const ATTACK = '\x1b]0;pwned\x07\x1b]52;c;aGk=\x07\x1b[2J\x1b[31mred\x1b[0m'
const SHOWN = '^[]0;pwned^G^[]52;c;aGk=^G^[[2J\x1b[31mred\x1b[0m'

describe('container text in CLI output', () => {
  it('an app log line: neutralised by default, as written with raw', () => {
    const io = capturedIo({})
    printContainerLine(io, 'stdout', ATTACK, false)
    printContainerLine(io, 'stderr', ATTACK, true)
    expect(io.out()).toBe(`${SHOWN}\n`)
    expect(io.err()).toBe(`${ATTACK}\n`)
  })

  it('an error whose hint quotes install output (a failed create): neutralised on the terminal, escaped in JSON', () => {
    const human = capturedIo({})
    printError({ json: false, io: human }, { code: 'INSTALL_FAILED', message: `\`npm ci\` failed ${ATTACK}`, hint: `The last lines of its output:\n${ATTACK}` })
    expect(human.err()).toBe(`Error: \`npm ci\` failed ${SHOWN}\nHint: The last lines of its output:\n${SHOWN}\n`)
    const json = capturedIo({})
    printError({ json: true, io: json }, { code: 'INSTALL_FAILED', message: ATTACK })
    expect(JSON.parse(json.out()).error.message).toBe(ATTACK)
    expect(json.out()).not.toContain('\x1b')
  })

  it('a result rendered for humans (a workspace whose error quotes its app)', () => {
    const io = capturedIo({})
    printResult({ json: false, io }, { error: ATTACK }, (r) => `error  ${r.error}`)
    expect(io.out()).toBe(`error  ${SHOWN}\n`)
  })
})
