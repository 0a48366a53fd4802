// `/` in development: the local demo's start page (the Shopify login stays one link away).
import { Form, useNavigation } from "@remix-run/react";
import { BlockStack, Button, ButtonGroup, Card, InlineStack, Layout, List, Page, Text } from "@shopify/polaris";
import { useT } from "../i18n/i18n";
import type { Locale } from "../i18n/messages";

export function DemoHome({ locale, keyword }: { locale: Locale; keyword: string }) {
  const t = useT();
  const opening = useNavigation().state !== "idle";
  return (
    <Page title={t("demo.title")} narrowWidth>
      <Layout>
        <Layout.Section>
          <Card>
            <BlockStack gap="400">
              <Text as="p" variant="bodyLg">
                {t("demo.intro")}
              </Text>
              {/* A document load: the admin page must start with its App Bridge script, as in the Shopify admin. */}
              <Form method="post" reloadDocument data-testid="demo-open-form">
                <input type="hidden" name="locale" value={locale} />
                <InlineStack gap="300" wrap>
                  <Button submit variant="primary" size="large" loading={opening}>
                    {t("demo.open")}
                  </Button>
                  <Button url={`/demo/line?locale=${locale}`}>{t("demo.openSandbox")}</Button>
                </InlineStack>
              </Form>
            </BlockStack>
          </Card>
        </Layout.Section>
        <Layout.Section>
          <Card>
            <BlockStack gap="300">
              <Text as="h2" variant="headingMd">
                {t("demo.what.heading")}
              </Text>
              <List>
                <List.Item>{t("demo.what.friends")}</List.Item>
                <List.Item>{t("demo.what.carts")}</List.Item>
                <List.Item>{t("demo.what.replies", { keyword })}</List.Item>
              </List>
              <Text as="p" tone="subdued">
                {t("demo.devOnly")}
              </Text>
            </BlockStack>
          </Card>
        </Layout.Section>
        <Layout.Section>
          <Card>
            <BlockStack gap="300">
              <InlineStack gap="200" blockAlign="center">
                <Text as="span" tone="subdued">
                  {t("demo.language")}
                </Text>
                <span translate="no">
                  <ButtonGroup variant="segmented">
                    <Button url="/?locale=ja" pressed={locale === "ja"} size="slim">
                      日本語
                    </Button>
                    <Button url="/?locale=en" pressed={locale === "en"} size="slim">
                      English
                    </Button>
                  </ButtonGroup>
                </span>
              </InlineStack>
              <InlineStack>
                <Button variant="plain" url="/auth/login">
                  {t("demo.login")}
                </Button>
              </InlineStack>
            </BlockStack>
          </Card>
        </Layout.Section>
      </Layout>
    </Page>
  );
}
