import { z } from 'zod'
import type { EngineEvent } from '../contract'

/** The fields Sandlot uses of a Docker events message (API 1.41+: `Type`, `Action` and `Actor` are always set). */
const DockerEventMessage = z.object({
  Type: z.string().min(1),
  Action: z.string().min(1),
  Actor: z.object({
    ID: z.string(),
    Attributes: z.record(z.string(), z.string()).optional()
  }),
  timeNano: z.number()
})

/** JSON.parse rounds `timeNano` (it exceeds 2^53), so its digits are read from the raw text. */
const TIME_NANO = /"timeNano"\s*:\s*(\d+)/

/** One line of the events stream as an EngineEvent, or undefined when it is not a usable event. */
export function parseEngineEvent(line: string): EngineEvent | undefined {
  let json: unknown
  try {
    json = JSON.parse(line)
  } catch {
    return undefined
  }
  const parsed = DockerEventMessage.safeParse(json)
  if (!parsed.success) return undefined
  const { Type, Action, Actor } = parsed.data
  const timeNano = TIME_NANO.exec(line)?.[1]
  if (timeNano === undefined) return undefined
  return { type: Type, action: Action, id: Actor.ID, attributes: Actor.Attributes ?? {}, timeNano }
}
