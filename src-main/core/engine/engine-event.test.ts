import { describe, expect, it } from 'vitest'
import { EngineEvent } from '../contract'
import { parseEngineEvent } from './engine-event'

// A real line from a Docker 20.10 events stream.
const CREATE_LINE =
  '{"status":"create","id":"aa248dce5cb1","from":"e:1","Type":"container","Action":"create",' +
  '"Actor":{"ID":"aa248dce5cb1","Attributes":{"image":"e:1","name":"dreamy_fermat"}},' +
  '"scope":"local","time":1795449133,"timeNano":1795449133317442084}'

describe('parseEngineEvent', () => {
  it('normalises a Docker event into the contract shape', () => {
    const event = parseEngineEvent(CREATE_LINE)
    expect(event).toEqual({
      type: 'container',
      action: 'create',
      id: 'aa248dce5cb1',
      attributes: { image: 'e:1', name: 'dreamy_fermat' },
      timeNano: '1795449133317442084'
    })
    expect(EngineEvent.safeParse(event).success).toBe(true)
  })

  it('keeps every digit of timeNano, which a JSON number would round', () => {
    expect(String(JSON.parse(CREATE_LINE).timeNano)).not.toBe('1795449133317442084')
    expect(parseEngineEvent(CREATE_LINE)?.timeNano).toBe('1795449133317442084')
  })

  it('gives an event without attributes an empty set', () => {
    const line = '{"Type":"daemon","Action":"reload","Actor":{"ID":"XYZ"},"time":1,"timeNano":1000000001}'
    expect(parseEngineEvent(line)?.attributes).toEqual({})
  })

  it('rejects lines that are not usable events', () => {
    expect(parseEngineEvent('not json')).toBeUndefined()
    expect(parseEngineEvent('{"Type":"container","Action":"create","timeNano":1}')).toBeUndefined()
    expect(parseEngineEvent('{"Type":"container","Action":"create","Actor":{"ID":"a"}}')).toBeUndefined()
    expect(parseEngineEvent('{"Type":"container","Action":"","Actor":{"ID":"a"},"timeNano":1}')).toBeUndefined()
  })
})
