import { json, type ActionFunctionArgs, type LoaderFunctionArgs, type SerializeFrom } from "@remix-run/node";
import { Link as RemixLink, useLoaderData } from "@remix-run/react";
import { Button, ButtonGroup, Card, EmptyState, IndexTable, InlineStack, Layout, Page, Text } from "@shopify/polaris";
import { IntentConfirmModal } from "../components/confirm-modal";
import { Notice, useListEditor } from "../components/list-editor";
import { useT } from "../i18n/i18n";
import { deleteSegment, listSegments } from "../segments/segments.server";
import { authenticate } from "../shopify.server";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  return { segments: await listSegments(session.shop) };
};

const STATUS: Record<string, number> = { "segments.error.notFound": 404, "segments.error.intent": 400 };

export const action = async ({ request }: ActionFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const form = await request.formData();
  const result =
    form.get("intent") === "delete"
      ? await deleteSegment(session.shop, String(form.get("id") ?? ""))
      : { errors: { form: "segments.error.intent" } };
  if ("errors" in result) {
    return json({ ok: false as const, errors: result.errors }, { status: STATUS[result.errors.form] ?? 422 });
  }
  return json({ ok: true as const, segment: result.segment });
};

// Three overlapping circles: groups of friends.
const EMPTY_IMAGE = `data:image/svg+xml,${encodeURIComponent(
  '<svg xmlns="http://www.w3.org/2000/svg" width="226" height="226" viewBox="0 0 120 120"><circle cx="60" cy="60" r="56" fill="#e3f1df"/><circle cx="48" cy="52" r="20" fill="#06c755" opacity=".55"/><circle cx="72" cy="52" r="20" fill="#2c6ecb" opacity=".45"/><circle cx="60" cy="73" r="20" fill="#b98900" opacity=".45"/></svg>',
)}`;

type Row = SerializeFrom<typeof loader>["segments"][number];

export default function Segments() {
  const { segments } = useLoaderData<typeof loader>();
  const t = useT();
  const list = useListEditor<Row>();
  const conditions = (count: number) =>
    count === 0 ? t("segments.conditionCountNone") : count === 1 ? t("segments.conditionCountOne") : t("segments.conditionCount", { count });

  return (
    <Page title={t("segments.title")} primaryAction={segments.length ? { content: t("segments.create"), url: "/app/segments/new" } : undefined}>
      <Layout>
        <Notice message={list.notice} onDismiss={list.dismissNotice} />
        <Layout.Section>
          <Card padding={segments.length ? "0" : undefined}>
            {segments.length === 0 ? (
              <EmptyState heading={t("segments.empty.heading")} action={{ content: t("segments.create"), url: "/app/segments/new" }} image={EMPTY_IMAGE}>
                <p>{t("segments.empty.body")}</p>
              </EmptyState>
            ) : (
              <IndexTable
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
                {segments.map((segment, index) => (
                  <IndexTable.Row id={segment.id} key={segment.id} position={index}>
                    <IndexTable.Cell>
                      <RemixLink to={`/app/segments/${segment.id}`} style={{ color: "inherit" }}>
                        <Text as="span" fontWeight="semibold">
                          {segment.name}
                        </Text>
                      </RemixLink>
                    </IndexTable.Cell>
                    <IndexTable.Cell>{conditions(segment.conditionCount)}</IndexTable.Cell>
                    <IndexTable.Cell>
                      <Text as="span" alignment="end" numeric>
                        {t("segments.friendCount", { count: segment.friendCount.toLocaleString() })}
                      </Text>
                    </IndexTable.Cell>
                    <IndexTable.Cell>
                      <InlineStack align="end">
                        <ButtonGroup>
                          <Button size="slim" url={`/app/segments/${segment.id}`}>
                            {t("segments.edit")}
                          </Button>
                          <Button size="slim" url={`/app/friends?segment=${segment.id}`}>
                            {t("segments.openList")}
                          </Button>
                          <Button size="slim" tone="critical" variant="plain" onClick={() => list.edit(segment)}>
                            {t("segments.delete")}
                          </Button>
                        </ButtonGroup>
                      </InlineStack>
                    </IndexTable.Cell>
                  </IndexTable.Row>
                ))}
              </IndexTable>
            )}
          </Card>
        </Layout.Section>
      </Layout>
      {list.editing && (
        <IntentConfirmModal<typeof action>
          title={t("segments.deleteModal.title", { name: list.editing.name })}
          confirm={t("segments.deleteModal.confirm")}
          cancel={t("segments.cancel")}
          intent={{ intent: "delete", id: list.editing.id }}
          onClose={list.close}
          onDone={(answer) => list.done(t("segments.deleted", { name: answer.segment.name }))}
        >
          <Text as="p">{t("segments.deleteModal.body")}</Text>
        </IntentConfirmModal>
      )}
    </Page>
  );
}
