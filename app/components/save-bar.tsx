// Long forms: App Bridge's contextual save bar (Save / Discard in the admin's top bar) while the form differs from
// what is stored, and a confirmation before leaving the page with those changes (in-app links, the browser).
import { useBlocker } from "@remix-run/react";
import { SaveBar } from "@shopify/app-bridge-react";
import { Modal, Text } from "@shopify/polaris";
import { dequal } from "dequal";
import { useCallback, useEffect, useState } from "react";
import { useT } from "../i18n/i18n";

/**
 * Warns before the page is left while `dirty`: a Polaris modal for in-app navigation, the browser's own prompt
 * otherwise. Another address is another page here, query included: `?account=` loads another account's form.
 */
export function useLeaveConfirmation(dirty: boolean) {
  const blocker = useBlocker(
    ({ currentLocation, nextLocation }) =>
      dirty && (currentLocation.pathname !== nextLocation.pathname || currentLocation.search !== nextLocation.search),
  );
  // Saved or discarded while the question was open: nothing is lost any more, so nothing is held back.
  useEffect(() => {
    if (blocker.state === "blocked" && !dirty) blocker.reset();
  }, [blocker, dirty]);
  useEffect(() => {
    if (!dirty) return;
    const warn = (event: BeforeUnloadEvent) => {
      event.preventDefault();
      // Browsers that predate preventDefault() here ask only when returnValue is set.
      event.returnValue = "";
    };
    addEventListener("beforeunload", warn);
    return () => removeEventListener("beforeunload", warn);
  }, [dirty]);
  return blocker;
}

/**
 * A form's values against the stored ones: `dirty` while they differ (deeply: typing and undoing is clean again),
 * `discard()` puts the stored values back. When `stored` changes (saved, then reloaded), the form follows it only
 * if it was clean or already shows the new values, so a save never wipes edits made meanwhile.
 */
export function useUnsavedChanges<T>(stored: T) {
  const [values, setValues] = useState<T>(stored);
  const [base, setBase] = useState<T>(stored);
  if (!dequal(base, stored)) {
    // Adjusting state during render (React's documented pattern for "state derived from a prop that changed").
    setBase(stored);
    if (dequal(values, base) || dequal(values, stored)) setValues(stored);
  }
  const set = useCallback(
    <K extends keyof T>(field: K) =>
      (value: T[K]) =>
        setValues((current) => ({ ...current, [field]: value })),
    [],
  );
  return {
    values,
    setValues,
    set,
    dirty: !dequal(values, stored),
    discard: useCallback(() => setValues(stored), [stored]),
  };
}

/**
 * The save bar for one form. `onSave` submits, `onDiscard` puts the stored values back; while `dirty` the bar shows
 * and leaving asks first. Put it once in the page; the form's own submit button may stay for keyboard users.
 */
export function UnsavedChangesBar(props: {
  id: string;
  dirty: boolean;
  saving?: boolean;
  onSave: () => void;
  onDiscard: () => void;
}) {
  const t = useT();
  const blocker = useLeaveConfirmation(props.dirty);
  return (
    <>
      <SaveBar id={props.id} open={props.dirty}>
        <button variant="primary" onClick={props.onSave} disabled={props.saving} {...(props.saving ? { loading: "" } : {})}>
          {t("common.save")}
        </button>
        <button onClick={props.onDiscard} disabled={props.saving}>
          {t("common.discard")}
        </button>
      </SaveBar>
      <Modal
        open={blocker.state === "blocked"}
        onClose={() => blocker.reset?.()}
        title={t("common.leave.title")}
        primaryAction={{ content: t("common.leave.confirm"), destructive: true, onAction: () => blocker.proceed?.() }}
        secondaryActions={[{ content: t("common.leave.stay"), onAction: () => blocker.reset?.() }]}
      >
        <Modal.Section>
          <Text as="p">{t("common.leave.body")}</Text>
        </Modal.Section>
      </Modal>
    </>
  );
}
