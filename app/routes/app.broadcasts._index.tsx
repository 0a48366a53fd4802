import type { LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData, useNavigate } from "@remix-run/react";
import { Card, EmptyState, IndexTable, Page, Text } from "@shopify/polaris";
import { StatusBadge, useAudienceText, useShopTime } from "../broadcasts/components/labels";
import { IN_PROGRESS, type BroadcastStatus } from "../broadcasts/status";
import { listPage } from "../broadcasts/pages.server";
import { NoAccountPage } from "../components/no-account-page";
import { useT } from "../i18n/i18n";
import { authenticate } from "../shopify.server";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  return listPage(session.shop);
};

// A megaphone in a LINE bubble, inline so the page needs nothing from outside; explicit size (see tracking links).
const EMPTY_IMAGE = `data:image/svg+xml,${encodeURIComponent(
  '<svg xmlns="http://www.w3.org/2000/svg" width="226" height="226" viewBox="0 0 120 120"><circle cx="60" cy="60" r="56" fill="#e3f1df"/><rect x="22" y="30" width="76" height="50" rx="14" fill="#06c755"/><path d="M46 78l-6 14 18-12z" fill="#06c755"/><path d="M40 48h8l18-10v34l-18-10h-8z" fill="#fff"/><path d="M72 46c4 3 4 13 0 16M77 41c8 6 8 20 0 26" stroke="#fff" stroke-width="3" fill="none" stroke-linecap="round"/></svg>',
)}`;

const isDraft = (status: BroadcastStatus) => status === "draft" || status === "scheduled";

export default function Broadcasts() {
  const data = useLoaderData<typeof loader>();
  const t = useT();
  const navigate = useNavigate();
  const audienceText = useAudienceText();
  const shopTime = useShopTime(data.timeZone);
  const open = (id: string, status: BroadcastStatus) => navigate(isDraft(status) ? `/app/broadcasts/${id}` : `/app/broadcasts/${id}/results`);

  if (!data.hasAccount && data.broadcasts.length === 0) {
    return <NoAccountPage title={t("broadcasts.title")} messages="broadcasts" image={EMPTY_IMAGE} />;
  }
  const create = { content: t("broadcasts.create"), onAction: () => navigate("/app/broadcasts/new") };
  return (
    <Page title={t("broadcasts.title")} subtitle={t("broadcasts.subtitle")} primaryAction={data.broadcasts.length ? create : undefined}>
      <Card padding={data.broadcasts.length ? "0" : undefined}>
        {data.broadcasts.length === 0 ? (
          <EmptyState heading={t("broadcasts.empty.heading")} action={create} image={EMPTY_IMAGE}>
            <p>{t("broadcasts.empty.body")}</p>
          </EmptyState>
        ) : (
          <IndexTable
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
            {data.broadcasts.map((b, index) => (
              <IndexTable.Row id={b.id} key={b.id} position={index} onClick={() => open(b.id, b.status)}>
                <IndexTable.Cell>
                  <Text as="span" fontWeight="semibold">
                    {b.name}
                  </Text>
                  <Text as="p" variant="bodySm" tone="subdued">
                    {b.account}
                  </Text>
                </IndexTable.Cell>
                <IndexTable.Cell>
                  <StatusBadge status={b.status} />
                </IndexTable.Cell>
                <IndexTable.Cell>{b.when ? shopTime(b.when) : <Text as="span" tone="subdued">{t("broadcasts.notScheduled")}</Text>}</IndexTable.Cell>
                <IndexTable.Cell>{audienceText(b.audience)}</IndexTable.Cell>
                <IndexTable.Cell>
                  <Text as="span" alignment="end" numeric>
                    {isDraft(b.status) && !IN_PROGRESS.includes(b.status) && b.recipients === 0 ? "—" : b.recipients.toLocaleString()}
                  </Text>
                </IndexTable.Cell>
              </IndexTable.Row>
            ))}
          </IndexTable>
        )}
      </Card>
    </Page>
  );
}
