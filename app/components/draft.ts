// A form's values beside the values last stored: `dirty` while they differ, `discard` puts the stored ones back,
// `saved` makes what was submitted the new stored values once the server said yes. Pair it with
// <UnsavedChangesBar> (save-bar.tsx) for the contextual save bar and the question before leaving.
import { useCallback, useRef, useState } from "react";

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

export function useDraft<T>(initial: T) {
  const [stored, setStored] = useState(initial);
  const [value, setValue] = useState(initial);
  const submitted = useRef<T>(initial);
  return {
    value,
    setValue,
    stored,
    dirty: !same(value, stored),
    /** Back to the stored values. */
    discard: useCallback(() => setValue(stored), [stored]),
    /** Remember what is being submitted, so a success stores exactly that (edits made meanwhile stay unsaved). */
    submitting: useCallback((current: T) => {
      submitted.current = current;
    }, []),
    /** The server stored what was submitted. */
    saved: useCallback(() => setStored(submitted.current), []),
    /** Replace both (a record loaded afresh). */
    reset: useCallback((next: T) => {
      setStored(next);
      setValue(next);
    }, []),
  };
}
