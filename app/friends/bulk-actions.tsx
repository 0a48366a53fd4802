// The friends list's bulk actions: a modal that picks the tag or scenario and applies it to the selected friends or
// to every friend of the filter; the answer says how many were changed (a toast).
import { useFetcher } from "@remix-run/react";
import { Banner, BlockStack, Modal, Select, Text } from "@shopify/polaris";
import { useEffect, useState } from "react";
import { useToast } from "../components/toast";
import { isMessageKey, useT } from "../i18n/i18n";
import type { MessageKey } from "../i18n/messages";
import type { ListActionAnswer } from "./list-page.server";

export type BulkKind = "addTag" | "removeTag" | "startScenario";

export type BulkSelection = { all: boolean; ids: string[]; count: number };

const isKey = isMessageKey;

/** The CSV link of the selection (its ids) or of the whole filter. */
export function csvHref(selection: BulkSelection, filterFields: Record<string, string>) {
  const params = selection.all ? new URLSearchParams({ ...filterFields, scope: "all" }) : new URLSearchParams({ scope: "selected", ids: selection.ids.join(",") });
  return `/app/friends.csv?${params.toString()}`;
}

export function BulkModal(props: {
  kind: BulkKind | null;
  selection: BulkSelection;
  filterFields: Record<string, string>;
  tags: { id: string; name: string }[];
  scenarios: { id: string; name: string }[];
  onClose: () => void;
  onDone: () => void;
}) {
  const t = useT();
  const toast = useToast();
  const fetcher = useFetcher<ListActionAnswer>();
  const [choice, setChoice] = useState("");
  const { kind, selection } = props;
  const answer = fetcher.state === "idle" ? fetcher.data : undefined;
  useEffect(() => {
    if (!answer || answer.errors || !answer.intent || !("changed" in answer)) return;
    toast(t(`friends.bulk.done.${answer.intent}` as MessageKey, { changed: answer.changed ?? 0, matched: answer.matched ?? 0 }));
    setChoice("");
    props.onDone();
    // The answer is what matters; the callbacks change every render.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [answer]);
  useEffect(() => setChoice(""), [kind]);
  if (!kind) return null;
  const options = kind === "startScenario" ? props.scenarios : props.tags;
  const error = answer?.errors ? Object.values(answer.errors)[0] : undefined;
  const apply = () => {
    const fields: Record<string, string> = { intent: kind, targetId: choice };
    if (selection.all) Object.assign(fields, props.filterFields, { scope: "all" });
    else Object.assign(fields, { scope: "selected", ids: selection.ids.join(",") });
    fetcher.submit(fields, { method: "post", action: "/app/friends?index" });
  };
  return (
    <Modal
      open
      onClose={props.onClose}
      title={t(`friends.bulk.${kind}`)}
      primaryAction={{ content: t("friends.bulk.apply"), disabled: !choice, loading: fetcher.state !== "idle", onAction: apply }}
      secondaryActions={[{ content: t("friends.cancel"), onAction: props.onClose }]}
    >
      <Modal.Section>
        <BlockStack gap="300">
          {error ? <Banner tone="critical">{isKey(error) ? t(error) : error}</Banner> : null}
          <Text as="p">
            {selection.all ? t("friends.bulk.target.all", { count: selection.count }) : t("friends.bulk.target.selected", { count: selection.count })}
          </Text>
          {options.length ? (
            <Select
              label={kind === "startScenario" ? t("friends.bulk.scenario") : t("friends.bulk.tag")}
              options={[{ label: t("friends.bulk.choose"), value: "" }, ...options.map((option) => ({ label: option.name, value: option.id }))]}
              value={choice}
              onChange={setChoice}
            />
          ) : (
            <Text as="p" tone="subdued">
              {kind === "startScenario" ? t("friends.bulk.noScenario") : t("friends.tags.noneInShop")}
            </Text>
          )}
          {kind === "startScenario" && options.length ? <Text as="p" tone="subdued">{t("friends.bulk.scenarioHelp")}</Text> : null}
        </BlockStack>
      </Modal.Section>
    </Modal>
  );
}
