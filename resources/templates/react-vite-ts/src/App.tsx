import { useState } from 'react'

export function App() {
  const [count, setCount] = useState(0)
  return (
    <main>
      <h1>React + Vite + TypeScript</h1>
      <p>
        Edit <code>src/App.tsx</code> and save: the page updates in place.
      </p>
      <button type="button" onClick={() => setCount((n) => n + 1)}>
        Clicked {count} {count === 1 ? 'time' : 'times'}
      </button>
    </main>
  )
}
