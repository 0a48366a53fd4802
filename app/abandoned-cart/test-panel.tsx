// "Send a test to me": pick a following friend by name and push the reminder with the settings on screen.
import { useFetcher } from "@remix-run/react";
import { Banner, Button, InlineStack, Select, Text, TextField } from "@shopify/polaris";
import { useEffect, useState } from "react";
import { SectionCard } from "../components/section-card";
import { useT } from "../i18n/i18n";
import type { MessageKey } from "../i18n/messages";
import { toFormData, type CartSettingsAnswer, type CartSettingsFormState, type FriendSearchAnswer } from "./settings-page";

export function TestPanel(props: {
  accountId: string;
  state: CartSettingsFormState;
  initialFriends: { id: string; displayName: string | null }[];
  onFieldErrors: (errors: Record<string, string>) => void;
}) {
  const t = useT();
  const search = useFetcher<FriendSearchAnswer>();
  const send = useFetcher<CartSettingsAnswer>();
  const [query, setQuery] = useState("");
  const [friendId, setFriendId] = useState(props.initialFriends[0]?.id ?? "");
  useEffect(() => {
    if (query === "") return;
    const timer = setTimeout(
      () => search.load(`/app/abandoned-cart?account=${encodeURIComponent(props.accountId)}&friendQuery=${encodeURIComponent(query)}`),
      300,
    );
    return () => clearTimeout(timer);
    // search.load changes identity on every render
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [query, props.accountId]);
  const friends = query !== "" && search.data?.kind === "friends" ? search.data.friends : props.initialFriends;
  const answer = send.state === "idle" ? send.data : undefined;
  // Settings that cannot be sent are shown on their fields, as a save would show them.
  useEffect(() => {
    if (answer && !answer.ok && !answer.errors.test) props.onFieldErrors(answer.errors);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [answer]);
  const chosen = friends.find((friend) => friend.id === friendId);
  const unnamed = t("cart.test.unnamed");

  return (
    <SectionCard title={t("cart.test.heading")}>
      <Text as="p" tone="subdued">
        {t("cart.test.help")}
      </Text>
      <TextField
        label={t("cart.test.search")}
        value={query}
        onChange={setQuery}
        autoComplete="off"
        clearButton
        onClearButtonClick={() => setQuery("")}
      />
      {friends.length === 0 ? (
        <Text as="p" tone="subdued">
          {t(query ? "cart.test.noMatch" : "cart.test.noFriends")}
        </Text>
      ) : (
        <Select
          label={t("cart.test.friend")}
          placeholder={t("cart.test.choose")}
          options={friends.map((friend) => ({ label: friend.displayName ?? unnamed, value: friend.id }))}
          value={chosen ? friendId : ""}
          onChange={setFriendId}
        />
      )}
      <InlineStack>
        <Button
          disabled={!chosen}
          loading={send.state !== "idle"}
          onClick={() => send.submit(toFormData(props.state, { intent: "test", lineAccountId: props.accountId, friendId }), { method: "post" })}
        >
          {t("cart.test.send")}
        </Button>
      </InlineStack>
      {answer?.intent === "test" && answer.ok && <Banner tone="success">{t("cart.test.sent", { name: chosen?.displayName ?? unnamed })}</Banner>}
      {answer?.intent === "test" && !answer.ok && (
        <Banner tone="critical">
          {answer.errors.test ? t(answer.errors.test as MessageKey) : t("cart.error.fields")}
          {answer.detail ? ` (${answer.detail})` : ""}
        </Banner>
      )}
    </SectionCard>
  );
}
