// One connected (or disconnected) LINE account: the bot, its webhook and the set-up checklist.
import { Form, Link } from "@remix-run/react";
import { Avatar, Badge, Banner, BlockStack, Box, Button, Card, InlineStack, Modal, Text, TextField } from "@shopify/polaris";
import { useState } from "react";
import { LineErrorText } from "../components/line-error-text";
import { useT } from "../i18n/i18n";
import type { MessageKey } from "../i18n/messages";
import { accountState } from "./account-state";
import type { AccountRow } from "./accounts-page.server";
import { initial } from "../i18n/format";

export function IntentButton(props: { intent: string; id: string; label: string; tone?: "critical" }) {
  return (
    <Form method="post">
      <input type="hidden" name="intent" value={props.intent} />
      <input type="hidden" name="id" value={props.id} />
      <Button submit tone={props.tone}>
        {props.label}
      </Button>
    </Form>
  );
}

function Check(props: { state: "ok" | "fail" | "unknown"; label: string; help: string }) {
  const tone = props.state === "ok" ? "success" : props.state === "fail" ? "critical" : "attention";
  const mark = props.state === "ok" ? "✓" : props.state === "fail" ? "✕" : "?";
  return (
    <InlineStack gap="300" blockAlign="start" wrap={false}>
      <Badge tone={tone}>{mark}</Badge>
      <BlockStack gap="050">
        <Text as="span" fontWeight="semibold">
          {props.label}
        </Text>
        <Text as="span" tone="subdued">
          {props.help}
        </Text>
      </BlockStack>
    </InlineStack>
  );
}

/** Connected (green) only when LINE's webhook test passed, the mode is Bot and the token works. */
export function AccountStateBadge({ account }: { account: AccountRow }) {
  const t = useT();
  const state = accountState(account);
  if (state.kind === "connected") return <Badge tone="success">{t("accounts.status.connected")}</Badge>;
  if (state.kind === "disconnected") return <Badge>{t("accounts.status.disconnected")}</Badge>;
  return (
    <Badge tone="warning">
      {t("accounts.status.attentionWith", { reasons: state.reasons.map((reason) => t(`accounts.reason.${reason}` as MessageKey)).join(" / ") })}
    </Badge>
  );
}

export function AccountCard({ account }: { account: AccountRow }) {
  const t = useT();
  const [confirming, setConfirming] = useState(false);
  const connected = account.status === "connected";
  const name = account.botDisplayName ?? account.displayName;

  return (
    <Card>
      <BlockStack gap="400">
        <InlineStack align="space-between" blockAlign="center" gap="300">
          <InlineStack gap="300" blockAlign="center">
            <Avatar source={account.botPictureUrl ?? undefined} name={name} initials={initial(name)} size="lg" />
            <BlockStack gap="050">
              <Text as="h2" variant="headingMd">
                <span translate="no">{account.displayName}</span>
              </Text>
              <Text as="span" tone="subdued">
                <span translate="no">{name}</span> · {t("accounts.bot.basicId", { basicId: "" })}
                <span translate="no">{account.botBasicId ?? "—"}</span>
              </Text>
            </BlockStack>
            <AccountStateBadge account={account} />
          </InlineStack>
          <InlineStack gap="200">
            <Link to={`?edit=${account.id}`}>
              <Button>{connected ? t("accounts.edit") : t("accounts.reconnect")}</Button>
            </Link>
            {connected && (
              <Button tone="critical" onClick={() => setConfirming(true)}>
                {t("accounts.disconnect")}
              </Button>
            )}
          </InlineStack>
        </InlineStack>

        {connected && (
          <>
            <BlockStack gap="200">
              <Text as="h3" variant="headingSm">
                {t("accounts.webhook.heading")}
              </Text>
              <TextField
                label={t("accounts.webhook.url")}
                value={account.webhookUrl ?? ""}
                readOnly
                autoComplete="off"
                helpText={t("accounts.webhook.urlHelp")}
              />
              {account.webhookTestOk ? (
                <Banner tone="success">{t("accounts.webhook.ok", { detail: account.webhookTestDetail ?? "" })}</Banner>
              ) : (
                <Banner tone="warning">
                  {account.webhookRegisteredAt
                    ? t("accounts.webhook.failed", { detail: account.webhookTestDetail ?? "" })
                    : <LineErrorText error={account.webhookTestDetail} sentence={(detail) => t("accounts.webhook.notRegistered", { detail })} />}
                </Banner>
              )}
              <Box>
                <IntentButton intent="retest" id={account.id} label={t("accounts.webhook.retest")} />
              </Box>
            </BlockStack>
            <BlockStack gap="300">
              <Text as="h3" variant="headingSm">
                {t("accounts.checklist.heading")}
              </Text>
              <Check
                state={account.chatMode === "bot" ? "ok" : account.chatMode ? "fail" : "unknown"}
                label={t("accounts.checklist.botMode")}
                help={t("accounts.checklist.botMode.help")}
              />
              <Check
                state={account.webhookTestOk ? "ok" : "fail"}
                label={t("accounts.checklist.webhook")}
                help={t("accounts.checklist.webhook.help")}
              />
              <Check state="unknown" label={t("accounts.checklist.oaReplies")} help={t("accounts.checklist.oaReplies.help")} />
            </BlockStack>
          </>
        )}
      </BlockStack>

      <Modal open={confirming} onClose={() => setConfirming(false)} title={t("accounts.disconnect.title", { name: account.displayName })}>
        <Modal.Section>
          <BlockStack gap="400">
            <Text as="p">{t("accounts.disconnect.body")}</Text>
            <InlineStack align="end">
              <IntentButton intent="disconnect" id={account.id} label={t("accounts.disconnect.confirm")} tone="critical" />
            </InlineStack>
          </BlockStack>
        </Modal.Section>
      </Modal>
    </Card>
  );
}
