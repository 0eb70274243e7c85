import { codeSegments } from '../views/workspace-model'

/** A message or hint from the core, with the commands it names in backticks set as code. */
export function HintText({ text }: { text: string }) {
  return (
    <>
      {codeSegments(text).map((segment, index) => (segment.code ? <code key={index}>{segment.text}</code> : <span key={index}>{segment.text}</span>))}
    </>
  )
}
