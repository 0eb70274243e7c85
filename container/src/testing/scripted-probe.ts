import type { PortProbe } from '../port-probe'

/** A port probe whose answers the test decides, recording the ports it was asked about. */
export function scriptedProbe(answers: boolean[]): PortProbe & { calls: number[] } {
  const calls: number[] = []
  const probe = async (port: number) => {
    calls.push(port)
    return answers.shift() ?? false
  }
  return Object.assign(probe, { calls })
}

/** Lets pending promise callbacks (a probe's answer) run. */
export const settle = () => new Promise((resolve) => setImmediate(resolve))
