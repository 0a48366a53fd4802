import { json, type ActionFunctionArgs, type LoaderFunctionArgs, type SerializeFrom } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import {
  Badge,
  Banner,
  BlockStack,
  Box,
  Button,
  ButtonGroup,
  Card,
  ChoiceList,
  EmptyState,
  FormLayout,
  IndexTable,
  InlineStack,
  Layout,
  Modal,
  Page,
  Text,
  TextField,
} from "@shopify/polaris";
import { useState } from "react";
import { IntentConfirmModal } from "../components/confirm-modal";
import { switchTagMirror } from "../customers/tag-mirror.server";
import { TagMirrorToggle } from "../customers/tag-mirror-toggle";
import { Notice, useListEditor } from "../components/list-editor";
import { useRouteAction } from "../components/use-route-action";
import { useT } from "../i18n/i18n";
import { authenticate } from "../shopify.server";
import {
  createTag,
  deleteTag,
  listTags,
  TAG_COLORS,
  TAG_NAME_MAX,
  updateTag,
  type TagColor,
} from "../tags/tags.server";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  // Limits travel with the data: .server modules are not part of the browser bundle.
  return { tags: await listTags(session.shop), colors: TAG_COLORS, nameMax: TAG_NAME_MAX };
};

async function perform(shop: string, form: FormData) {
  const field = (name: string) => {
    const value = form.get(name);
    return typeof value === "string" ? value : undefined;
  };
  switch (form.get("intent")) {
    case "create":
      return createTag(shop, { name: field("name") ?? "", color: field("color") });
    case "update":
      return updateTag(shop, field("id") ?? "", { name: field("name"), color: field("color") });
    case "delete":
      return deleteTag(shop, field("id") ?? "");
    case "mirror":
      return switchTagMirror(shop, field("id") ?? "", field("mirror") === "true");
    default:
      return { errors: { form: "tags.error.intent" } };
  }
}

const STATUS: Record<string, number> = { "tags.error.notFound": 404, "tags.error.intent": 400 };

export const action = async ({ request }: ActionFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const result = await perform(session.shop, await request.formData());
  if ("errors" in result) {
    return json({ ok: false as const, errors: result.errors }, { status: STATUS[result.errors.form ?? ""] ?? 422 });
  }
  return json({ ok: true as const, tag: { id: result.tag.id, name: result.tag.name } });
};

// A tag outline, inline so the page needs nothing from outside.
const EMPTY_IMAGE = `data:image/svg+xml,${encodeURIComponent(
  '<svg xmlns="http://www.w3.org/2000/svg" width="226" height="226" viewBox="0 0 120 120"><circle cx="60" cy="60" r="56" fill="#e3f1df"/><path d="M34 40v22l30 30 28-28-30-30H40a6 6 0 0 0-6 6z" fill="#fff" stroke="#06c755" stroke-width="5" stroke-linejoin="round"/><circle cx="50" cy="50" r="6" fill="#06c755"/></svg>',
)}`;

type TagRow = SerializeFrom<typeof loader>["tags"][number];
type Editing = { mode: "create" } | { mode: "edit"; tag: TagRow } | { mode: "delete"; tag: TagRow };

export default function Tags() {
  const { tags, colors, nameMax } = useLoaderData<typeof loader>();
  const t = useT();
  const list = useListEditor<Editing>();
  const create = () => list.edit({ mode: "create" });

  return (
    <Page
      title={t("tags.title")}
      primaryAction={tags.length ? { content: t("tags.create"), onAction: create } : undefined}
    >
      <Layout>
        <Notice message={list.notice} onDismiss={list.dismissNotice} />
        <Layout.Section>
          <Card padding={tags.length ? "0" : undefined}>
            {tags.length === 0 ? (
              <EmptyState
                heading={t("tags.empty.heading")}
                action={{ content: t("tags.create"), onAction: create }}
                image={EMPTY_IMAGE}
              >
                <p>{t("tags.empty.body")}</p>
              </EmptyState>
            ) : (
              <IndexTable
                resourceName={{ singular: t("tags.column.name"), plural: t("tags.title") }}
                itemCount={tags.length}
                selectable={false}
                headings={[
                  { title: t("tags.column.name") },
                  { title: t("tags.column.friends"), alignment: "end" },
                  { title: t("tags.column.shopify") },
                  { title: t("tags.column.actions"), alignment: "end" },
                ]}
              >
                {tags.map((tag, index) => (
                  <IndexTable.Row id={tag.id} key={tag.id} position={index}>
                    <IndexTable.Cell>
                      <TagBadge color={tag.color} name={tag.name} />
                    </IndexTable.Cell>
                    <IndexTable.Cell>
                      <Text as="span" alignment="end" numeric>
                        {t("tags.friendCount", { count: tag.friendCount })}
                      </Text>
                    </IndexTable.Cell>
                    <IndexTable.Cell>
                      <TagMirrorToggle id={tag.id} mirror={tag.mirrorToShopify} />
                    </IndexTable.Cell>
                    <IndexTable.Cell>
                      <InlineStack align="end">
                        <ButtonGroup>
                          <Button size="slim" onClick={() => list.edit({ mode: "edit", tag })}>
                            {t("tags.edit")}
                          </Button>
                          <Button size="slim" tone="critical" variant="plain" onClick={() => list.edit({ mode: "delete", tag })}>
                            {t("tags.delete")}
                          </Button>
                        </ButtonGroup>
                      </InlineStack>
                    </IndexTable.Cell>
                  </IndexTable.Row>
                ))}
              </IndexTable>
            )}
          </Card>
          {tags.length > 0 && (
            <Box paddingBlockStart="200" paddingInline={{ xs: "400", sm: "0" }}>
              <Text as="p" tone="subdued">
                {t("tags.mirror.help")}
              </Text>
            </Box>
          )}
        </Layout.Section>
      </Layout>
      {(list.editing?.mode === "create" || list.editing?.mode === "edit") && (
        <TagFormModal
          key={list.editing.mode === "edit" ? list.editing.tag.id : "new"}
          colors={colors}
          nameMax={nameMax}
          tag={list.editing.mode === "edit" ? list.editing.tag : null}
          onClose={list.close}
          onDone={(name) => list.done(t("tags.saved", { name }))}
        />
      )}
      {list.editing?.mode === "delete" && (
        <IntentConfirmModal<typeof action>
          title={t("tags.deleteModal.title", { name: list.editing.tag.name })}
          confirm={t("tags.deleteModal.confirm")}
          cancel={t("tags.form.cancel")}
          intent={{ intent: "delete", id: list.editing.tag.id }}
          onClose={list.close}
          onDone={(answer) => list.done(t("tags.deleted", { name: answer.tag.name }))}
        >
          <Text as="p" fontWeight="semibold">
            {deleteConsequence(t, list.editing.tag.friendCount)}
          </Text>
          <Text as="p" tone="subdued">
            {t("tags.deleteModal.irreversible")}
          </Text>
        </IntentConfirmModal>
      )}
    </Page>
  );
}

function TagFormModal(props: {
  tag: TagRow | null;
  colors: readonly TagColor[];
  nameMax: number;
  onClose: () => void;
  onDone: (name: string) => void;
}) {
  const t = useT();
  const { fetcher, clearError, fieldError, busy } = useRouteAction<typeof action>((answer) => props.onDone(answer.tag.name));
  const [name, setName] = useState(props.tag?.name ?? "");
  const [color, setColor] = useState<string>(props.tag?.color ?? "info");
  const edit =
    <T,>(field: string, set: (value: T) => void) =>
    (value: T) => {
      clearError(field);
      set(value);
    };
  const submit = () =>
    fetcher.submit(
      { intent: props.tag ? "update" : "create", id: props.tag?.id ?? "", name, color },
      { method: "post" },
    );

  return (
    <Modal
      open
      onClose={props.onClose}
      title={props.tag ? t("tags.form.editTitle") : t("tags.form.createTitle")}
      primaryAction={{ content: t("tags.form.save"), onAction: submit, loading: busy }}
      secondaryActions={[{ content: t("tags.form.cancel"), onAction: props.onClose }]}
    >
      <Modal.Section>
        <BlockStack gap="400">
          {fieldError("form") && <Banner tone="critical">{fieldError("form")}</Banner>}
          <form
            onSubmit={(event) => {
              event.preventDefault();
              submit();
            }}
          >
            <FormLayout>
              <TextField
                label={t("tags.form.name")}
                value={name}
                onChange={edit("name", setName)}
                autoComplete="off"
                maxLength={props.nameMax}
                showCharacterCount
                helpText={t("tags.form.nameHelp")}
                error={fieldError("name")}
              />
              <ChoiceList
                title={t("tags.form.color")}
                selected={[color]}
                onChange={edit("color", ([value]: string[]) => setColor(value))}
                error={fieldError("color")}
                choices={props.colors.map((tone) => ({
                  value: tone,
                  label: <Badge tone={tone}>{t(`tags.color.${tone}`)}</Badge>,
                }))}
              />
              <InlineStack gap="200" blockAlign="center">
                <Text as="span" tone="subdued">
                  {t("tags.form.preview")}
                </Text>
                <TagBadge color={color} name={name.trim() || t("tags.form.name")} />
              </InlineStack>
            </FormLayout>
          </form>
        </BlockStack>
      </Modal.Section>
    </Modal>
  );
}

function deleteConsequence(t: ReturnType<typeof useT>, count: number) {
  if (count === 0) return t("tags.deleteModal.friendsNone");
  if (count === 1) return t("tags.deleteModal.friendsOne");
  return t("tags.deleteModal.friendsMany", { count });
}

/** A tag in its colour. Screen readers hear the colour's name, not the tone's meaning ("Info", "Critical"). */
function TagBadge(props: { color: string; name: string }) {
  const t = useT();
  const tone = props.color as TagColor;
  return (
    <Badge tone={tone} toneAndProgressLabelOverride={t(`tags.color.${tone}`)}>
      {props.name}
    </Badge>
  );
}
