import { useEffect, useLayoutEffect, useRef, useState } from 'react'
import { hasCommandKey } from '../shell/useCommands'

function carriesFiles(event: DragEvent): boolean {
  return event.dataTransfer?.types.includes('Files') ?? false
}

/**
 * Files dropped anywhere on the window go to `onFiles`, and the page never navigates to them.
 * Returns whether files are being dragged over the window, for highlighting the drop zone.
 */
export function useWindowDrop(onFiles: (files: FileList) => void): boolean {
  const [dragging, setDragging] = useState(false)
  const onFilesRef = useRef(onFiles)
  useLayoutEffect(() => {
    onFilesRef.current = onFiles
  })

  useEffect(() => {
    // dragenter/dragleave fire for every element crossed; count them to know when it left.
    let depth = 0
    const onEnter = (event: DragEvent) => {
      if (!carriesFiles(event)) return
      depth += 1
      setDragging(true)
    }
    const onLeave = (event: DragEvent) => {
      if (!carriesFiles(event)) return
      depth = Math.max(0, depth - 1)
      if (depth === 0) setDragging(false)
    }
    const onOver = (event: DragEvent) => {
      if (!carriesFiles(event)) return
      event.preventDefault()
      if (event.dataTransfer) event.dataTransfer.dropEffect = 'copy'
    }
    const onDrop = (event: DragEvent) => {
      if (!carriesFiles(event)) return
      event.preventDefault()
      depth = 0
      setDragging(false)
      const files = event.dataTransfer?.files
      if (files && files.length > 0) onFilesRef.current(files)
    }
    window.addEventListener('dragenter', onEnter)
    window.addEventListener('dragleave', onLeave)
    window.addEventListener('dragover', onOver)
    window.addEventListener('drop', onDrop)
    return () => {
      window.removeEventListener('dragenter', onEnter)
      window.removeEventListener('dragleave', onLeave)
      window.removeEventListener('dragover', onOver)
      window.removeEventListener('drop', onDrop)
    }
  }, [])

  return dragging
}

/**
 * While `enabled`, ⌘V (as a key press, or as the paste event the Edit menu sends) calls
 * `onPaste` instead of pasting. The event's clipboard data is never read: main reads the
 * clipboard itself, so the key never passes through the page.
 */
export function usePasteShortcut(enabled: boolean, onPaste: () => void): void {
  const onPasteRef = useRef(onPaste)
  useLayoutEffect(() => {
    onPasteRef.current = onPaste
  })

  useEffect(() => {
    if (!enabled) return
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.key.toLowerCase() !== 'v' || !hasCommandKey(event)) return
      if (event.altKey || event.shiftKey) return
      event.preventDefault()
      onPasteRef.current()
    }
    const onPasteEvent = (event: ClipboardEvent) => {
      event.preventDefault()
      onPasteRef.current()
    }
    window.addEventListener('keydown', onKeyDown)
    window.addEventListener('paste', onPasteEvent)
    return () => {
      window.removeEventListener('keydown', onKeyDown)
      window.removeEventListener('paste', onPasteEvent)
    }
  }, [enabled])
}
