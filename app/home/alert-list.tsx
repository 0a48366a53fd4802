// Home's alerts: one banner each, saying what is wrong and carrying the action that fixes it.
import { Form, useRevalidator } from "@remix-run/react";
import { Banner, BlockStack, Box, Button, InlineStack, Text } from "@shopify/polaris";
import { useT } from "../i18n/i18n";
import type { MessageKey } from "../i18n/messages";
import type { AlertAction, HomeAlert } from "./alerts";

function bodyKey(alert: HomeAlert): MessageKey {
  if (alert.kind === "liff-problem") return alert.values.code === "openid-scope" ? "home.alert.liff-problem.openid-scope" : "home.alert.liff-problem.other";
  // No answer from LINE's test on record (never tested): nothing to quote in brackets.
  if (alert.kind === "webhook-test-failed" && !alert.values.detail) return "home.alert.webhook-test-failed.untested";
  return `home.alert.${alert.kind}.body` as MessageKey;
}

function Action({ action }: { action: AlertAction }) {
  const t = useT();
  const revalidator = useRevalidator();
  const label = t(`home.alert.action.${action.label}` as MessageKey);
  if (action.type === "link") {
    return (
      <Button url={action.url} target={action.external ? "_blank" : undefined}>
        {label}
      </Button>
    );
  }
  if (action.type === "post") {
    return (
      <Form method="post" action={action.action}>
        <input type="hidden" name="intent" value={action.intent} />
        <input type="hidden" name="id" value={action.id} />
        <Button submit>{label}</Button>
      </Form>
    );
  }
  const grant = async () => {
    const shopify = (globalThis as { shopify?: { scopes?: { request(scopes: string[]): Promise<unknown> } } }).shopify;
    await shopify?.scopes?.request([action.scope]).catch(() => undefined);
    revalidator.revalidate();
  };
  return <Button onClick={() => void grant()}>{label}</Button>;
}

export function AlertList({ alerts }: { alerts: HomeAlert[] }) {
  const t = useT();
  return (
    <BlockStack gap="300">
      <Box paddingInlineStart={{ xs: "400", sm: "0" }}>
        <Text as="h2" variant="headingMd">
          {t("home.alerts.heading")}
        </Text>
      </Box>
      {alerts.map((alert) => (
        <div key={alert.key} data-alert={alert.kind}>
          <Banner tone={alert.tone} title={t(`home.alert.${alert.kind}.title` as MessageKey, alert.values)}>
            <BlockStack gap="200">
              <Text as="p">{t(bodyKey(alert), alert.values)}</Text>
              <InlineStack gap="200" wrap>
                {alert.actions.map((action) => (
                  <Action key={`${action.type}:${action.label}`} action={action} />
                ))}
              </InlineStack>
            </BlockStack>
          </Banner>
        </div>
      ))}
    </BlockStack>
  );
}
