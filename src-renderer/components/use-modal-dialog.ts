import { useEffect, useRef, type RefObject } from 'react'

/**
 * Opens a native <dialog> as a modal while the component is mounted (focus stays inside, Escape cancels) and,
 * when it goes, closes it and gives the focus back to what had it before. `onOpen` runs once it is shown.
 */
export function useModalDialog(onOpen?: () => void): RefObject<HTMLDialogElement | null> {
  const ref = useRef<HTMLDialogElement>(null)
  const opened = useRef(onOpen)
  useEffect(() => {
    const dialog = ref.current
    const before = document.activeElement instanceof HTMLElement ? document.activeElement : undefined
    dialog?.showModal()
    opened.current?.()
    return () => {
      dialog?.close()
      if (before?.isConnected) before.focus()
    }
  }, [])
  return ref
}
