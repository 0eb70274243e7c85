import {
  events,
  methods,
  type EventName,
  type EventPayload,
  type MethodName,
  type MethodResult,
  type ServerMessage
} from '../../src-main/core/contract'
import { BridgeError } from './bridge'

/** The value of a request's reply, checked against the contract; an error reply becomes a BridgeError. */
export function settleReply<M extends MethodName>(method: M, reply: ServerMessage): MethodResult<M> {
  if (reply.type === 'error') throw new BridgeError(reply.error)
  if (reply.type !== 'result') throw new BridgeError({ code: 'INTERNAL', message: `Expected the reply to ${method}, got a ${reply.type} message.` })
  const parsed = methods[method].result.safeParse(reply.result)
  if (!parsed.success) throw new BridgeError({ code: 'INTERNAL', message: `The reply to ${method} does not match the contract.` })
  return parsed.data as MethodResult<M>
}

/** An event payload checked against the contract, or undefined when it does not match. */
export function parseEvent<E extends EventName>(event: E, payload: unknown): EventPayload<E> | undefined {
  const parsed = events[event].safeParse(payload)
  return parsed.success ? (parsed.data as EventPayload<E>) : undefined
}
