// The tag-rule page: "friends with tag X see menu M" in the priority order the merchant drags.
import { Banner, BlockStack, Button, Card, InlineStack, Layout, Page, Text } from "@shopify/polaris";
import { useState } from "react";
import { AccountPicker } from "../../components/account-picker";
import { useT } from "../../i18n/i18n";
import { RuleList, RulesEmpty, type RuleRow } from "./rule-list";

let counter = 0;
const newKey = () => `new-${(counter += 1)}`;

export function RulesPage(props: {
  accounts: { id: string; displayName: string }[];
  accountId: string | null;
  rules: RuleRow[];
  tags: { id: string; name: string }[];
  menus: { id: string; name: string }[];
  defaultMenu: string | null;
  busy: boolean;
  fieldError: (...fields: string[]) => string | undefined;
  onSave: (rules: { tagId: string; richMenuId: string }[]) => void;
  onBack: () => void;
}) {
  const t = useT();
  const [rules, setRules] = useState<RuleRow[]>(props.rules);
  const formError = props.fieldError("form", "");
  return (
    <Page
      title={t("richMenuPages.rules.title")}
      subtitle={t("richMenuPages.rules.subtitle")}
      backAction={{ content: t("richMenuPages.title"), onAction: props.onBack }}
      primaryAction={{ content: t("richMenuPages.rules.save"), loading: props.busy, disabled: !props.accountId, onAction: () => props.onSave(rules.map(({ tagId, richMenuId }) => ({ tagId, richMenuId }))) }}
    >
      <Layout>
        {formError ? (
          <Layout.Section>
            <Banner tone="critical" title={t("richMenuPages.rules.errorTitle")}>
              <p>{formError}</p>
            </Banner>
          </Layout.Section>
        ) : null}
        {props.accounts.length > 1 ? (
          <Layout.Section>
            <AccountPicker label={t("richMenuPages.account")} accounts={props.accounts} selectedId={props.accountId} />
          </Layout.Section>
        ) : null}
        <Layout.Section>
          <Card>
            <BlockStack gap="300">
              {!props.menus.length ? <Banner tone="info">{t("richMenuPages.rules.noMenus")}</Banner> : null}
              {!props.tags.length ? <Banner tone="info">{t("richMenuPages.rules.noTags")}</Banner> : null}
              {rules.length ? <RuleList rules={rules} onChange={setRules} tags={props.tags} menus={props.menus} error={props.fieldError} /> : <RulesEmpty />}
              <InlineStack align="space-between" blockAlign="center" gap="200">
                <Button disabled={!props.menus.length || !props.tags.length} onClick={() => setRules([...rules, { key: newKey(), tagId: "", richMenuId: "" }])}>
                  {t("richMenuPages.rules.add")}
                </Button>
                <Text as="p" tone="subdued">
                  {props.defaultMenu ? t("richMenuPages.rules.otherwise", { menu: props.defaultMenu }) : t("richMenuPages.rules.otherwiseNone")}
                </Text>
              </InlineStack>
            </BlockStack>
          </Card>
        </Layout.Section>
      </Layout>
    </Page>
  );
}
