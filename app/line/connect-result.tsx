// What the accounts page says after a connect or an edit: "connected" only when the account really works (LINE's
// webhook test passed, the response mode is Bot, the token is accepted); otherwise exactly what to fix, and where.
import { Banner, BlockStack, List } from "@shopify/polaris";
import { useT } from "../i18n/i18n";
import type { MessageKey } from "../i18n/messages";
import { accountState, type AccountStateInput } from "./account-state";

export function ConnectResult(props: { intent: string; account: AccountStateInput & { displayName: string } }) {
  const t = useT();
  const state = accountState(props.account);
  if (state.kind !== "attention") {
    return <Banner tone="success">{props.intent === "connect" ? t("accounts.connected", { name: props.account.displayName }) : t("accounts.saved")}</Banner>;
  }
  return (
    <Banner tone="warning" title={t("accounts.notReady.title", { name: props.account.displayName })}>
      <BlockStack gap="200">
        <List type="number">
          {state.reasons.map((reason) => (
            <List.Item key={reason}>{t(`accounts.fix.${reason}` as MessageKey)}</List.Item>
          ))}
        </List>
      </BlockStack>
    </Banner>
  );
}
