// The LINE sandbox page: the demo users (pick one), their phone, and what they can do as LINE users.
import { Form, Link, useActionData, useNavigation, useRevalidator } from "@remix-run/react";
import { Badge, Banner, BlockStack, Box, Button, Card, EmptyState, InlineStack, Layout, Page, Text, TextField } from "@shopify/polaris";
import { useEffect, useState } from "react";
import { useT } from "../i18n/i18n";
import { EMPTY_IMAGE } from "../rich-menus/components/menu-list";
import type { Locale } from "../i18n/messages";
import { Phone } from "./phone";
import type { PhoneEntry, SandboxUser } from "./sandbox.server";

export type SandboxPageProps = {
  locale: Locale;
  account: { displayName: string } | null;
  users: SandboxUser[];
  selected: SandboxUser | null;
  timeline: PhoneEntry[];
};

const TONE = { following: "success", blocked: "critical", none: undefined } as const;

/** Replies arrive through the worker a moment after an action: the page reads the sandbox again every 2 s. */
function usePolling(ms: number) {
  const revalidator = useRevalidator();
  useEffect(() => {
    const timer = setInterval(() => {
      if (document.visibilityState === "visible" && revalidator.state === "idle") revalidator.revalidate();
    }, ms);
    return () => clearInterval(timer);
  }, [ms, revalidator]);
}

export function SandboxPage({ locale, account, users, selected, timeline }: SandboxPageProps) {
  const t = useT();
  usePolling(2000);
  if (!account || !selected) {
    return (
      <Page title={t("demo.sandbox.title")}>
        <Card>
          <EmptyState heading={t("demo.sandbox.noAccount")} action={{ content: t("demo.open"), url: `/?locale=${locale}` }} image={EMPTY_IMAGE}>
            <p>{t("demo.sandbox.noAccountNext")}</p>
          </EmptyState>
        </Card>
      </Page>
    );
  }
  return (
    <Page title={t("demo.sandbox.title")} subtitle={t("demo.sandbox.subtitle")}>
      <BlockStack gap="400">
        <InlineStack>
          <Button url={`/?locale=${locale}`}>{t("demo.sandbox.openAdmin")}</Button>
        </InlineStack>
        <Layout>
          <Layout.Section variant="oneThird">
            <Card padding="0">
              <Box padding="400">
                <Text as="h2" variant="headingMd">
                  {t("demo.sandbox.users")}
                </Text>
              </Box>
              <div style={{ maxHeight: "min(560px, 45vh)", overflowY: "auto" }} data-testid="sandbox-users">
                {users.map((user) => (
                  <Link
                    key={user.userId}
                    to={`?locale=${locale}&user=${user.userId}`}
                    preventScrollReset
                    style={{ display: "block", padding: "8px 16px", textDecoration: "none", color: "inherit", background: user.userId === selected.userId ? "#f1f1f1" : undefined }}
                    data-testid="sandbox-user"
                  >
                    <InlineStack gap="200" align="space-between" blockAlign="center" wrap={false}>
                      <span translate="no" style={{ minWidth: 0, overflow: "hidden", textOverflow: "ellipsis", whiteSpace: "nowrap" }}>
                        {user.displayName}
                      </span>
                      <Badge tone={TONE[user.status]}>{t(`demo.sandbox.status.${user.status}`)}</Badge>
                    </InlineStack>
                  </Link>
                ))}
              </div>
            </Card>
          </Layout.Section>
          <Layout.Section>
            <Card>
              <BlockStack gap="400">
                <InlineStack gap="200" align="space-between" blockAlign="center">
                  <Text as="h2" variant="headingMd">
                    {t("demo.sandbox.phone", { name: selected.displayName })}
                  </Text>
                  <Badge tone={TONE[selected.status]}>{t(`demo.sandbox.status.${selected.status}`)}</Badge>
                </InlineStack>
                <Phone sender={account.displayName} entries={timeline} />
                <Actions user={selected} />
              </BlockStack>
            </Card>
          </Layout.Section>
        </Layout>
      </BlockStack>
    </Page>
  );
}

function Actions({ user }: { user: SandboxUser }) {
  const t = useT();
  const result = useActionData<{ status?: number; error?: string }>();
  const busy = useNavigation().state === "submitting";
  const [text, setText] = useState("");
  const [data, setData] = useState("action=coupon");
  return (
    <BlockStack gap="300">
      {result?.status ? (
        <Banner tone={result.status === 200 ? "success" : "critical"}>{t("demo.sandbox.sent", { status: result.status })}</Banner>
      ) : null}
      <InlineStack gap="200" wrap>
        <Form method="post">
          <input type="hidden" name="userId" value={user.userId} />
          <input type="hidden" name="intent" value="follow" />
          <Button submit variant="primary" disabled={busy}>
            {t("demo.sandbox.follow")}
          </Button>
        </Form>
        <Form method="post">
          <input type="hidden" name="userId" value={user.userId} />
          <input type="hidden" name="intent" value="unfollow" />
          <Button submit tone="critical" disabled={busy}>
            {t("demo.sandbox.block")}
          </Button>
        </Form>
      </InlineStack>
      <Form method="post" onSubmit={() => setTimeout(() => setText(""), 0)}>
        <input type="hidden" name="userId" value={user.userId} />
        <input type="hidden" name="intent" value="message" />
        <TextField
          label={t("demo.sandbox.message")}
          name="text"
          value={text}
          onChange={setText}
          autoComplete="off"
          connectedRight={
            <Button submit disabled={busy || text.trim() === ""}>
              {t("demo.sandbox.send")}
            </Button>
          }
        />
      </Form>
      <Form method="post">
        <input type="hidden" name="userId" value={user.userId} />
        <input type="hidden" name="intent" value="postback" />
        <TextField
          label={t("demo.sandbox.postback")}
          name="data"
          value={data}
          onChange={setData}
          autoComplete="off"
          connectedRight={
            <Button submit disabled={busy || data.trim() === ""}>
              {t("demo.sandbox.tap")}
            </Button>
          }
        />
      </Form>
    </BlockStack>
  );
}
