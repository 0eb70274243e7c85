import { useEffect, useRef, useState } from 'react'
import { Icon } from '../../components/Icon'

interface FindBarProps {
  results: { index: number; count: number }
  onFind: (text: string, direction: 'next' | 'previous', incremental: boolean) => void
  onClose: () => void
}

/** Find in a terminal: matches highlighted as you type; Enter and Shift+Enter step through them, Esc closes. */
export function FindBar({ results, onFind, onClose }: FindBarProps) {
  const [text, setText] = useState('')
  const input = useRef<HTMLInputElement>(null)
  useEffect(() => input.current?.focus(), [])
  const count = results.count === 0 ? (text === '' ? '' : 'No matches') : `${results.index + 1} of ${results.count}`
  return (
    <div className="term-find" role="search" data-testid="terminal-find">
      <Icon name="search" size={13} />
      <input
        ref={input}
        className="term-find__input"
        type="text"
        aria-label="Find in terminal"
        placeholder="Find"
        value={text}
        onChange={(event) => {
          setText(event.target.value)
          onFind(event.target.value, 'next', true)
        }}
        onKeyDown={(event) => {
          if (event.key === 'Enter') {
            event.preventDefault()
            onFind(text, event.shiftKey ? 'previous' : 'next', false)
          } else if (event.key === 'Escape') {
            event.preventDefault()
            event.stopPropagation()
            onClose()
          }
        }}
      />
      <span className="term-find__count" aria-live="polite" data-testid="terminal-find-count">
        {count}
      </span>
      <button type="button" className="icon-button" aria-label="Previous match" onClick={() => onFind(text, 'previous', false)}>
        ↑
      </button>
      <button type="button" className="icon-button" aria-label="Next match" onClick={() => onFind(text, 'next', false)}>
        ↓
      </button>
      <button type="button" className="icon-button" aria-label="Close find" onClick={onClose}>
        <Icon name="close" size={13} />
      </button>
    </div>
  )
}
