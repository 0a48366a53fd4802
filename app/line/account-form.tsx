// The connect / edit form. Secrets are never sent to the browser: on edit, blank keeps the stored one.
import { Form, Link } from "@remix-run/react";
import { BlockStack, Button, Card, FormLayout, InlineStack, Text, TextField } from "@shopify/polaris";
import { useState } from "react";
import { useT } from "../i18n/i18n";
import type { MessageKey } from "../i18n/messages";
import type { AccountRow } from "./account-row";
import type { FieldErrors } from "./account-input";

type Field = "displayName" | "friendAddUrl" | "channelId" | "channelSecret" | "accessToken" | "loginChannelId" | "loginChannelSecret" | "liffId";
const SECRET_LAST4: Partial<Record<Field, "channelSecretLast4" | "accessTokenLast4" | "loginChannelSecretLast4">> = {
  channelSecret: "channelSecretLast4",
  accessToken: "accessTokenLast4",
  loginChannelSecret: "loginChannelSecretLast4",
};

export function AccountForm(props: { account?: AccountRow; errors: FieldErrors; busy: boolean }) {
  const t = useT();
  const { account } = props;
  // A disconnected account is connected again, with its secret proven afresh.
  const intent = account && account.status === "connected" ? "update" : "connect";
  const [values, setValues] = useState<Record<Field, string>>({
    displayName: account?.displayName ?? "",
    friendAddUrl: account?.friendAddUrl ?? "",
    channelId: account?.channelId ?? "",
    channelSecret: "",
    accessToken: "",
    loginChannelId: account?.loginChannelId ?? "",
    loginChannelSecret: "",
    liffId: account?.liffId ?? "",
  });

  const field = (name: Field, options: { secret?: boolean; readOnly?: boolean } = {}) => {
    const last4 = account && intent === "update" ? account[SECRET_LAST4[name]!] : null;
    const help = last4 ? t("accounts.edit.secretKept", { last4 }) : t(`accounts.field.${name}.help` as MessageKey);
    const error = props.errors[name];
    return (
      <TextField
        label={t(`accounts.field.${name}` as MessageKey)}
        name={name}
        value={values[name]}
        onChange={(value) => setValues((current) => ({ ...current, [name]: value }))}
        type={options.secret ? "password" : "text"}
        readOnly={options.readOnly}
        autoComplete="off"
        helpText={help}
        error={error ? t(error as MessageKey) : undefined}
      />
    );
  };

  return (
    <Card>
      <Form method="post">
        <input type="hidden" name="intent" value={intent} />
        {account && <input type="hidden" name="id" value={account.id} />}
        <BlockStack gap="400">
          <BlockStack gap="100">
            <Text as="h2" variant="headingMd">
              {account ? t("accounts.edit.heading", { name: account.displayName }) : t("accounts.connect.heading")}
            </Text>
            {!account && <Text as="p" tone="subdued">{t("accounts.connect.intro")}</Text>}
          </BlockStack>
          <FormLayout>
            {field("displayName")}
            {field("friendAddUrl")}
          </FormLayout>
          <Text as="h3" variant="headingSm">
            {t("accounts.section.messaging")}
          </Text>
          <FormLayout>
            <FormLayout.Group>
              {field("channelId", { readOnly: intent === "update" })}
              {field("channelSecret", { secret: true })}
            </FormLayout.Group>
            {field("accessToken", { secret: true })}
          </FormLayout>
          <Text as="h3" variant="headingSm">
            {t("accounts.section.login")}
          </Text>
          <FormLayout>
            <FormLayout.Group>
              {field("loginChannelId")}
              {field("loginChannelSecret", { secret: true })}
            </FormLayout.Group>
            {field("liffId")}
          </FormLayout>
          <InlineStack align="end" gap="200">
            {account && (
              <Link to=".">
                <Button>{t("accounts.edit.cancel")}</Button>
              </Link>
            )}
            <Button submit variant="primary" loading={props.busy}>
              {account ? t("accounts.edit.submit") : t("accounts.connect.submit")}
            </Button>
          </InlineStack>
        </BlockStack>
      </Form>
    </Card>
  );
}
