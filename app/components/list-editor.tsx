import { Banner, Layout } from "@shopify/polaris";
import { useState } from "react";

/**
 * A list page's editing state: which modal is open (`E` says which item and what for) and the notice the
 * last change left, shown by <Notice> until dismissed.
 */
export function useListEditor<E>() {
  const [editing, setEditing] = useState<E | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  return {
    editing,
    edit: (next: E) => setEditing(next),
    close: () => setEditing(null),
    /** Closes the modal and says what it did. */
    done: (message: string) => {
      setEditing(null);
      setNotice(message);
    },
    notice,
    dismissNotice: () => setNotice(null),
  };
}

export function Notice(props: { message: string | null; onDismiss: () => void }) {
  if (!props.message) return null;
  return (
    <Layout.Section>
      <Banner tone="success" onDismiss={props.onDismiss}>
        {props.message}
      </Banner>
    </Layout.Section>
  );
}
