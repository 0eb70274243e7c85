import { useEffect, useState } from 'react'
import type { FileEntry } from '../../../../src-main/core/contract'
import { FILE_CAP } from '../../../../src-main/core/contract/files'
import { formatBytes } from '../../../../src-main/core/text/format-bytes'
import { callError, type CallError } from '../../../bridge/bridge'
import { useBridge } from '../../../app/bridge-context'
import { ErrorDetails } from '../../../components/ErrorDetails'
import { Icon } from '../../../components/Icon'
import { base64ToBytes, downloadCommand, mebibytes, saveBytes, textOf } from './file-content'

type Shown =
  | { state: 'loading' }
  | { state: 'text'; text: string; bytes: Uint8Array<ArrayBuffer> }
  | { state: 'binary'; bytes: Uint8Array<ArrayBuffer> }
  | { state: 'error'; error: CallError }

/** A file of /app, read-only: its text, or why it is not shown; a download of its bytes either way. */
export function FileViewer({ workspace, entry }: { workspace: string; entry: FileEntry }) {
  const bridge = useBridge()
  const tooLarge = entry.size > FILE_CAP
  const [shown, setShown] = useState<Shown>({ state: 'loading' })

  useEffect(() => {
    if (tooLarge) return
    let current = true
    setShown({ state: 'loading' })
    // As bytes: one read serves the text, the binary check and the download alike.
    bridge.call('files.read', { name: workspace, path: entry.path, encoding: 'base64' }).then(
      (answer) => {
        if (!current) return
        const bytes = base64ToBytes(answer.content)
        const text = textOf(bytes)
        setShown(text === undefined ? { state: 'binary', bytes } : { state: 'text', text, bytes })
      },
      (err: unknown) => current && setShown({ state: 'error', error: callError(err) })
    )
    return () => {
      current = false
    }
  }, [bridge, workspace, entry.path, entry.modified, tooLarge])

  const bytes = shown.state === 'text' || shown.state === 'binary' ? shown.bytes : undefined
  return (
    <section className="file-viewer" aria-label={`${entry.name}, read-only`} data-testid="file-viewer" data-path={entry.path} data-state={tooLarge ? 'too-large' : shown.state}>
      <header className="file-viewer__header">
        <div className="file-viewer__title">
          <span className="file-viewer__name mono" title={entry.path}>
            {entry.path}
          </span>
          <span className="file-viewer__meta" data-testid="file-viewer-size">
            {formatBytes(entry.size)} · read-only
          </span>
        </div>
        <button type="button" className="button button--small" disabled={bytes === undefined} onClick={() => bytes && saveBytes(bytes, entry.name)} data-testid="file-download">
          <Icon name="download" size={13} />
          Download
        </button>
      </header>
      {tooLarge ? (
        <p className="file-viewer__note" data-testid="file-viewer-note">
          {entry.name} is {formatBytes(entry.size)}, more than the window reads at once ({mebibytes(FILE_CAP)}). Copy it from a terminal:{' '}
          <code className="mono">{downloadCommand(workspace, entry.path)}</code>
        </p>
      ) : shown.state === 'loading' ? (
        <div className="skeleton skeleton--line" aria-busy="true" aria-label={`Reading ${entry.name}`} />
      ) : shown.state === 'error' ? (
        <ErrorDetails error={shown.error} title={`${entry.name} could not be read.`} testId="file-viewer-error" />
      ) : shown.state === 'binary' ? (
        <p className="file-viewer__note" data-testid="file-viewer-note">
          {entry.name} is not text (binary data): download it to open it with a program that reads it.
        </p>
      ) : (
        <pre className="file-viewer__text output" tabIndex={0} aria-label={`Content of ${entry.name}`} data-testid="file-viewer-text">
          {shown.text}
        </pre>
      )}
    </section>
  )
}
