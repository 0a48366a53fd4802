import { json, type ActionFunctionArgs, type LoaderFunctionArgs, type SerializeFrom } from "@remix-run/node";
import { useFetcher, useLoaderData } from "@remix-run/react";
import {
  Badge,
  Banner,
  BlockStack,
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
import { useEffect, useState } from "react";
import { useT } from "../i18n/i18n";
import type { MessageKey } from "../i18n/messages";
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
type Editing = { mode: "create" } | { mode: "edit"; tag: TagRow } | { mode: "delete"; tag: TagRow } | null;

export default function Tags() {
  const { tags, colors, nameMax } = useLoaderData<typeof loader>();
  const t = useT();
  const [editing, setEditing] = useState<Editing>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const create = () => setEditing({ mode: "create" });
  const done = (message: string) => {
    setEditing(null);
    setNotice(message);
  };

  return (
    <Page
      title={t("tags.title")}
      primaryAction={tags.length ? { content: t("tags.create"), onAction: create } : undefined}
    >
      <Layout>
        {notice && (
          <Layout.Section>
            <Banner tone="success" onDismiss={() => setNotice(null)}>
              {notice}
            </Banner>
          </Layout.Section>
        )}
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
                      <InlineStack align="end">
                        <ButtonGroup>
                          <Button size="slim" onClick={() => setEditing({ mode: "edit", tag })}>
                            {t("tags.edit")}
                          </Button>
                          <Button
                            size="slim"
                            tone="critical"
                            variant="plain"
                            onClick={() => setEditing({ mode: "delete", tag })}
                          >
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
        </Layout.Section>
      </Layout>
      {(editing?.mode === "create" || editing?.mode === "edit") && (
        <TagFormModal
          key={editing.mode === "edit" ? editing.tag.id : "new"}
          colors={colors}
          nameMax={nameMax}
          tag={editing.mode === "edit" ? editing.tag : null}
          onClose={() => setEditing(null)}
          onDone={(name) => done(t("tags.saved", { name }))}
        />
      )}
      {editing?.mode === "delete" && (
        <DeleteModal
          tag={editing.tag}
          onClose={() => setEditing(null)}
          onDone={(name) => done(t("tags.deleted", { name }))}
        />
      )}
    </Page>
  );
}

/**
 * Submits to this route's action and reports success once, when the answer arrives. A field's error goes away
 * as soon as the field is edited (clearError), not only on the next save.
 */
function useTagAction(onDone: (name: string) => void) {
  const fetcher = useFetcher<typeof action>();
  const [errors, setErrors] = useState<Record<string, string>>({});
  const data = fetcher.state === "idle" ? fetcher.data : undefined;
  useEffect(() => {
    if (data?.ok) onDone(data.tag.name);
    setErrors(data && !data.ok ? data.errors : {});
    // onDone changes every render; the answer is what matters.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [data]);
  const clearError = (field: string) => setErrors(({ [field]: _, ...rest }) => rest);
  return { fetcher, errors, clearError, busy: fetcher.state !== "idle" };
}

function TagFormModal(props: {
  tag: TagRow | null;
  colors: readonly TagColor[];
  nameMax: number;
  onClose: () => void;
  onDone: (name: string) => void;
}) {
  const t = useT();
  const { fetcher, errors, clearError, busy } = useTagAction(props.onDone);
  const [name, setName] = useState(props.tag?.name ?? "");
  const [color, setColor] = useState<string>(props.tag?.color ?? "info");
  const edit =
    <T,>(field: string, set: (value: T) => void) =>
    (value: T) => {
      clearError(field);
      set(value);
    };
  const error = (key?: string) => (key ? t(key as MessageKey) : undefined);
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
          {errors.form && <Banner tone="critical">{error(errors.form)}</Banner>}
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
                error={error(errors.name)}
              />
              <ChoiceList
                title={t("tags.form.color")}
                selected={[color]}
                onChange={edit("color", ([value]: string[]) => setColor(value))}
                error={error(errors.color)}
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

function DeleteModal(props: { tag: TagRow; onClose: () => void; onDone: (name: string) => void }) {
  const t = useT();
  const { fetcher, errors, busy } = useTagAction(props.onDone);
  const count = props.tag.friendCount;
  const consequence =
    count === 0
      ? t("tags.deleteModal.friendsNone")
      : count === 1
      ? t("tags.deleteModal.friendsOne")
      : t("tags.deleteModal.friendsMany", { count });
  return (
    <Modal
      open
      onClose={props.onClose}
      title={t("tags.deleteModal.title", { name: props.tag.name })}
      primaryAction={{
        content: t("tags.deleteModal.confirm"),
        destructive: true,
        loading: busy,
        onAction: () => fetcher.submit({ intent: "delete", id: props.tag.id }, { method: "post" }),
      }}
      secondaryActions={[{ content: t("tags.form.cancel"), onAction: props.onClose }]}
    >
      <Modal.Section>
        <BlockStack gap="200">
          {errors.form && <Banner tone="critical">{t(errors.form as MessageKey)}</Banner>}
          <Text as="p" fontWeight="semibold">
            {consequence}
          </Text>
          <Text as="p" tone="subdued">
            {t("tags.deleteModal.irreversible")}
          </Text>
        </BlockStack>
      </Modal.Section>
    </Modal>
  );
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
