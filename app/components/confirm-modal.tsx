import type { SerializeFrom } from "@remix-run/node";
import { Banner, BlockStack, Modal } from "@shopify/polaris";
import type { ReactNode } from "react";
import { useRouteAction } from "./use-route-action";

type ConfirmModalProps = {
  title: string;
  confirm: string;
  cancel: string;
  onClose: () => void;
  children: ReactNode;
};

/** The question before a destructive change: what will happen, a critical button and Cancel. */
export function ConfirmModal(
  props: ConfirmModalProps & { open?: boolean; loading: boolean; error?: string; onConfirm: () => void },
) {
  return (
    <Modal
      open={props.open ?? true}
      onClose={props.onClose}
      title={props.title}
      primaryAction={{ content: props.confirm, destructive: true, loading: props.loading, onAction: props.onConfirm }}
      secondaryActions={[{ content: props.cancel, onAction: props.onClose }]}
    >
      <Modal.Section>
        <BlockStack gap="200">
          {props.error && <Banner tone="critical">{props.error}</Banner>}
          {props.children}
        </BlockStack>
      </Modal.Section>
    </Modal>
  );
}

/**
 * A ConfirmModal whose button posts `intent` (e.g. { intent: "delete", id }) to this route's action (`A` is
 * `typeof action`); the action's form error shows in the modal, a success goes to onDone.
 */
export function IntentConfirmModal<A>(
  props: ConfirmModalProps & {
    intent: Record<string, string>;
    onDone: (answer: Extract<SerializeFrom<A>, { ok: true }>) => void;
  },
) {
  const { fetcher, fieldError, busy } = useRouteAction<A>(props.onDone);
  return (
    <ConfirmModal
      title={props.title}
      confirm={props.confirm}
      cancel={props.cancel}
      onClose={props.onClose}
      loading={busy}
      error={fieldError("form")}
      onConfirm={() => fetcher.submit(props.intent, { method: "post" })}
    >
      {props.children}
    </ConfirmModal>
  );
}
