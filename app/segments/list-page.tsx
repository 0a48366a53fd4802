// The segments list: each segment's name, conditions and friend count now, with edit, open as a friends list and
// delete (after a question; a toast says it is done). On a phone each segment is one condensed row.
import type { SerializeFrom } from "@remix-run/node";
import { Link as RemixLink } from "@remix-run/react";
import { BlockStack, Box, Button, ButtonGroup, Card, EmptyState, IndexTable, InlineStack, Layout, Page, Text, useBreakpoints } from "@shopify/polaris";
import { useState } from "react";
import { IntentConfirmModal } from "../components/confirm-modal";
import { useToast } from "../components/toast";
import { Truncated } from "../components/truncated";
import { useT } from "../i18n/i18n";
import type { listSegments } from "./segments.server";

// Three overlapping circles: groups of friends.
const EMPTY_IMAGE = `data:image/svg+xml,${encodeURIComponent(
  '<svg xmlns="http://www.w3.org/2000/svg" width="226" height="226" viewBox="0 0 120 120"><circle cx="60" cy="60" r="56" fill="#e3f1df"/><circle cx="48" cy="52" r="20" fill="#06c755" opacity=".55"/><circle cx="72" cy="52" r="20" fill="#2c6ecb" opacity=".45"/><circle cx="60" cy="73" r="20" fill="#b98900" opacity=".45"/></svg>',
)}`;

type Row = SerializeFrom<typeof listSegments>[number];
/** What the segments list route's action answers (delete). */
export type SegmentListAnswer = { ok: true; segment: { id: string; name: string } } | { ok: false; errors: Record<string, string> };

export function SegmentListPage({ segments }: { segments: Row[] }) {
  const t = useT();
  const toast = useToast();
  const { smDown } = useBreakpoints();
  const [deleting, setDeleting] = useState<Row | null>(null);
  const conditions = (count: number) =>
    count === 0 ? t("segments.conditionCountNone") : count === 1 ? t("segments.conditionCountOne") : t("segments.conditionCount", { count });

  return (
    <Page title={t("segments.title")} primaryAction={segments.length ? { content: t("segments.create"), url: "/app/segments/new" } : undefined}>
      <Layout>
        <Layout.Section>
          <Card padding={segments.length ? "0" : undefined}>
            {segments.length === 0 ? (
              <EmptyState heading={t("segments.empty.heading")} action={{ content: t("segments.create"), url: "/app/segments/new" }} image={EMPTY_IMAGE}>
                <p>{t("segments.empty.body")}</p>
              </EmptyState>
            ) : (
              <IndexTable
                condensed={smDown}
                resourceName={{ singular: t("segments.column.name"), plural: t("segments.title") }}
                itemCount={segments.length}
                selectable={false}
                headings={[
                  { title: t("segments.column.name") },
                  { title: t("segments.column.conditions") },
                  { title: t("segments.column.friends"), alignment: "end" },
                  { title: t("segments.column.actions"), alignment: "end" },
                ]}
              >
                {segments.map((segment, index) => {
                  const name = (
                    <RemixLink to={`/app/segments/${segment.id}`} style={{ color: "inherit" }}>
                      <Truncated text={segment.name} bold maxWidth={smDown ? "60vw" : "24rem"} />
                    </RemixLink>
                  );
                  const count = t("segments.friendCount", { count: segment.friendCount.toLocaleString() });
                  const actions = (
                    <ButtonGroup>
                      <Button size="slim" url={`/app/segments/${segment.id}`}>
                        {t("segments.edit")}
                      </Button>
                      <Button size="slim" url={`/app/friends?segment=${segment.id}`}>
                        {t("segments.openList")}
                      </Button>
                      <Button size="slim" tone="critical" variant="plain" onClick={() => setDeleting(segment)}>
                        {t("segments.delete")}
                      </Button>
                    </ButtonGroup>
                  );
                  return smDown ? (
                    <IndexTable.Row id={segment.id} key={segment.id} position={index}>
                      <Box padding="300">
                        <BlockStack gap="200">
                          <InlineStack gap="200" align="space-between" blockAlign="center" wrap={false}>
                            {name}
                            <Text as="span" numeric>
                              {count}
                            </Text>
                          </InlineStack>
                          <Text as="p" variant="bodySm" tone="subdued">
                            {conditions(segment.conditionCount)}
                          </Text>
                          {actions}
                        </BlockStack>
                      </Box>
                    </IndexTable.Row>
                  ) : (
                    <IndexTable.Row id={segment.id} key={segment.id} position={index}>
                      <IndexTable.Cell>{name}</IndexTable.Cell>
                      <IndexTable.Cell>{conditions(segment.conditionCount)}</IndexTable.Cell>
                      <IndexTable.Cell>
                        <Text as="span" alignment="end" numeric>
                          {count}
                        </Text>
                      </IndexTable.Cell>
                      <IndexTable.Cell>
                        <InlineStack align="end">{actions}</InlineStack>
                      </IndexTable.Cell>
                    </IndexTable.Row>
                  );
                })}
              </IndexTable>
            )}
          </Card>
        </Layout.Section>
      </Layout>
      {deleting && (
        <IntentConfirmModal<() => Promise<SegmentListAnswer>>
          title={t("segments.deleteModal.title", { name: deleting.name })}
          confirm={t("segments.deleteModal.confirm")}
          cancel={t("segments.cancel")}
          intent={{ intent: "delete", id: deleting.id }}
          onClose={() => setDeleting(null)}
          onDone={(answer) => {
            setDeleting(null);
            toast(t("segments.deleted", { name: answer.segment.name }));
          }}
        >
          <Text as="p">{t("segments.deleteModal.body")}</Text>
        </IntentConfirmModal>
      )}
    </Page>
  );
}
