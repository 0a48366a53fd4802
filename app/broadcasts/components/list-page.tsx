// The broadcasts list: name and account, status, when, audience and recipients; on a phone each broadcast is one
// condensed row. An empty shop is told what a broadcast is and how to start one.
import type { SerializeFrom } from "@remix-run/node";
import { useNavigate } from "@remix-run/react";
import {
  BlockStack,
  Box,
  Card,
  EmptyState,
  IndexTable,
  InlineStack,
  Page,
  Text,
  useBreakpoints,
} from "@shopify/polaris";
import { NoAccountPage } from "../../components/no-account-page";
import { Truncated } from "../../components/truncated";
import { useT } from "../../i18n/i18n";
import { IN_PROGRESS, type BroadcastStatus } from "../status";
import type { listPage } from "../pages.server";
import { StatusBadge, useAudienceText, useShopTime } from "./labels";

// A megaphone in a LINE bubble, inline so the page needs nothing from outside; explicit size (see tracking links).
const EMPTY_IMAGE = `data:image/svg+xml,${encodeURIComponent(
  '<svg xmlns="http://www.w3.org/2000/svg" width="226" height="226" viewBox="0 0 120 120"><circle cx="60" cy="60" r="56" fill="#e3f1df"/><rect x="22" y="30" width="76" height="50" rx="14" fill="#06c755"/><path d="M46 78l-6 14 18-12z" fill="#06c755"/><path d="M40 48h8l18-10v34l-18-10h-8z" fill="#fff"/><path d="M72 46c4 3 4 13 0 16M77 41c8 6 8 20 0 26" stroke="#fff" stroke-width="3" fill="none" stroke-linecap="round"/></svg>'
)}`;

const isDraft = (status: BroadcastStatus) =>
  status === "draft" || status === "scheduled";

export function BroadcastListPage({
  data,
}: {
  data: SerializeFrom<typeof listPage>;
}) {
  const t = useT();
  const { smDown } = useBreakpoints();
  const navigate = useNavigate();
  const audienceText = useAudienceText();
  const shopTime = useShopTime(data.timeZone);
  const open = (id: string, status: BroadcastStatus) =>
    navigate(
      isDraft(status)
        ? `/app/broadcasts/${id}`
        : `/app/broadcasts/${id}/results`
    );

  if (!data.hasAccount && data.broadcasts.length === 0) {
    return (
      <NoAccountPage
        title={t("broadcasts.title")}
        messages="broadcasts"
        image={EMPTY_IMAGE}
      />
    );
  }
  const create = {
    content: t("broadcasts.create"),
    onAction: () => navigate("/app/broadcasts/new"),
  };
  return (
    <Page
      title={t("broadcasts.title")}
      subtitle={t("broadcasts.subtitle")}
      primaryAction={data.broadcasts.length ? create : undefined}
    >
      <Card padding={data.broadcasts.length ? "0" : undefined}>
        {data.broadcasts.length === 0 ? (
          <EmptyState
            heading={t("broadcasts.empty.heading")}
            action={create}
            image={EMPTY_IMAGE}
          >
            <p>{t("broadcasts.empty.body")}</p>
          </EmptyState>
        ) : (
          <IndexTable
            condensed={smDown}
            resourceName={{
              singular: t("broadcasts.resource.singular"),
              plural: t("broadcasts.title"),
            }}
            itemCount={data.broadcasts.length}
            selectable={false}
            headings={[
              { title: t("broadcasts.column.name") },
              { title: t("broadcasts.column.status") },
              { title: t("broadcasts.column.when") },
              { title: t("broadcasts.column.audience") },
              { title: t("broadcasts.column.recipients"), alignment: "end" },
            ]}
          >
            {data.broadcasts.map((b, index) =>
              smDown ? (
                <IndexTable.Row
                  id={b.id}
                  key={b.id}
                  position={index}
                  onClick={() => open(b.id, b.status)}
                >
                  <Box padding="300">
                    <BlockStack gap="100">
                      <InlineStack
                        gap="200"
                        align="space-between"
                        blockAlign="center"
                        wrap={false}
                      >
                        <Truncated text={b.name} bold maxWidth="65vw" />
                        <StatusBadge status={b.status} />
                      </InlineStack>
                      <Text as="p" variant="bodySm" tone="subdued">
                        {b.when
                          ? shopTime(b.when)
                          : t("broadcasts.notScheduled")}{" "}
                        · {audienceText(b.audience)}
                      </Text>
                    </BlockStack>
                  </Box>
                </IndexTable.Row>
              ) : (
                <IndexTable.Row
                  id={b.id}
                  key={b.id}
                  position={index}
                  onClick={() => open(b.id, b.status)}
                >
                  <IndexTable.Cell>
                    <Truncated text={b.name} bold maxWidth="22rem" />
                    <Text as="p" variant="bodySm" tone="subdued">
                      <Truncated text={b.account} maxWidth="22rem" />
                    </Text>
                  </IndexTable.Cell>
                  <IndexTable.Cell>
                    <StatusBadge status={b.status} />
                  </IndexTable.Cell>
                  <IndexTable.Cell>
                    {b.when ? (
                      shopTime(b.when)
                    ) : (
                      <Text as="span" tone="subdued">
                        {t("broadcasts.notScheduled")}
                      </Text>
                    )}
                  </IndexTable.Cell>
                  <IndexTable.Cell>{audienceText(b.audience)}</IndexTable.Cell>
                  <IndexTable.Cell>
                    <Text as="span" alignment="end" numeric>
                      {isDraft(b.status) &&
                      !IN_PROGRESS.includes(b.status) &&
                      b.recipients === 0
                        ? "—"
                        : b.recipients.toLocaleString()}
                    </Text>
                  </IndexTable.Cell>
                </IndexTable.Row>
              )
            )}
          </IndexTable>
        )}
      </Card>
    </Page>
  );
}
