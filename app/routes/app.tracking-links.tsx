import { json, type ActionFunctionArgs, type LoaderFunctionArgs, type SerializeFrom } from "@remix-run/node";
import { useFetcher, useLoaderData, useSearchParams, type ShouldRevalidateFunction } from "@remix-run/react";
import {
  Badge,
  Banner,
  BlockStack,
  Box,
  Card,
  Divider,
  EmptyState,
  FormLayout,
  InlineStack,
  Layout,
  Modal,
  Page,
  Select,
  Text,
  TextField,
} from "@shopify/polaris";
import { useEffect, useState } from "react";
import { IntentConfirmModal } from "../components/confirm-modal";
import { Notice, useListEditor } from "../components/list-editor";
import { NoAccountPage } from "../components/no-account-page";
import { CopyUrl, LinkTable } from "../components/tracking-link-table";
import { useRouteAction } from "../components/use-route-action";
import { useT } from "../i18n/i18n";
import type { MessageKey } from "../i18n/messages";
import { listAccounts } from "../line/accounts.server";
import { authenticate } from "../shopify.server";
import {
  archiveTrackingLink,
  countArchivedTrackingLinks,
  createTrackingLink,
  listTrackingLinks,
  POSTBACK_METHODS,
  POSTBACK_VARIABLES,
  postbackPreview,
  TRACKING_NAME_MAX,
  TRACKING_TAG_MAX,
  TRACKING_TAGS_MAX,
  updateTrackingLink,
  URL_MAX,
  type TrackingLinkInput,
} from "../sources/tracking-admin.server";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const archived = new URL(request.url).searchParams.get("view") === "archived";
  const [accounts, links, archivedCount] = await Promise.all([
    listAccounts(session.shop),
    listTrackingLinks(session.shop, { archived }),
    countArchivedTrackingLinks(session.shop),
  ]);
  // Without a LIFF app the click cannot be tied to the LINE user who follows (app/sources/tracking-links.server.ts).
  const attributes = new Map(accounts.map((account) => [account.id, Boolean(account.liffId && account.loginChannelId)]));
  return {
    archived,
    archivedCount,
    accounts: accounts
      .filter((account) => account.status === "connected")
      .map((account) => ({ id: account.id, displayName: account.displayName })),
    links: links.map((link) => ({ ...link, attributes: attributes.get(link.lineAccountId) ?? false })),
    // Limits travel with the data: .server modules are not part of the browser bundle.
    limits: { name: TRACKING_NAME_MAX, tags: TRACKING_TAGS_MAX, tag: TRACKING_TAG_MAX, url: URL_MAX },
    variables: POSTBACK_VARIABLES,
    methods: POSTBACK_METHODS,
  };
};

function linkInput(form: FormData): TrackingLinkInput {
  const text = (name: string) => String(form.get(name) ?? "");
  return {
    name: text("name"),
    lineAccountId: text("lineAccountId"),
    landingPageUrl: text("landingPageUrl"),
    tagNames: form.getAll("tagNames").map(String),
    postbackUrl: text("postbackUrl"),
    postbackMethod: form.get("postbackMethod") === null ? undefined : text("postbackMethod"),
  };
}

export const action = async ({ request }: ActionFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const form = await request.formData();
  const intent = String(form.get("intent") ?? "");
  const id = String(form.get("id") ?? "");
  if (intent === "preview") {
    const preview = postbackPreview(String(form.get("postbackUrl") ?? ""), {
      code: String(form.get("code") ?? ""),
      landingPageUrl: String(form.get("landingPageUrl") ?? ""),
    });
    return json({ ok: true as const, intent, name: "", preview });
  }
  const result =
    intent === "create"
      ? await createTrackingLink(session.shop, linkInput(form))
      : intent === "update"
      ? await updateTrackingLink(session.shop, id, linkInput(form))
      : intent === "archive"
      ? await archiveTrackingLink(session.shop, id)
      : { errors: { form: "trackingLinks.error.intent" } };
  if ("errors" in result) {
    const status =
      result.errors.form === "trackingLinks.error.notFound" ? 404 : result.errors.form === "trackingLinks.error.intent" ? 400 : 422;
    return json({ ok: false as const, errors: result.errors }, { status });
  }
  return json({ ok: true as const, intent, name: result.link.name, preview: null });
};

// A preview is a calculation, not a change: the list need not reload on every keystroke.
export const shouldRevalidate: ShouldRevalidateFunction = ({ formData, defaultShouldRevalidate }) =>
  formData?.get("intent") === "preview" ? false : defaultShouldRevalidate;

type Data = SerializeFrom<typeof loader>;
export type TrackingLinkRow = Data["links"][number];
type Editing = { mode: "create" } | { mode: "edit"; link: TrackingLinkRow } | { mode: "archive"; link: TrackingLinkRow };

// A link arrow into a speech bubble, inline so the page needs nothing from outside. Its size is explicit: in a
// full-width page the empty state's flex container gives a size-less SVG no width at all.
const EMPTY_IMAGE = `data:image/svg+xml,${encodeURIComponent(
  '<svg xmlns="http://www.w3.org/2000/svg" width="226" height="226" viewBox="0 0 120 120"><circle cx="60" cy="60" r="56" fill="#e3f1df"/><rect x="52" y="30" width="48" height="36" rx="12" fill="#06c755"/><path d="M64 64l-4 12 14-10z" fill="#06c755"/><text x="76" y="53" font-family="Arial,sans-serif" font-size="12" font-weight="700" fill="#fff" text-anchor="middle">LINE</text><path d="M20 82h26M34 70l14 12-14 12" fill="none" stroke="#1a1a1a" stroke-width="5" stroke-linecap="round" stroke-linejoin="round"/></svg>',
)}`;

export default function TrackingLinks() {
  const data = useLoaderData<typeof loader>();
  const t = useT();
  const [, setParams] = useSearchParams();
  const list = useListEditor<Editing>();
  const create = () => list.edit({ mode: "create" });
  const view = (archived: boolean) => setParams(archived ? { view: "archived" } : {});
  const withoutLiff = [
    ...new Set(data.links.filter((link) => link.accountConnected && !link.attributes).map((link) => link.accountName)),
  ];

  if (data.accounts.length === 0 && data.links.length === 0 && !data.archived) {
    return <NoAccountPage title={t("trackingLinks.title")} messages="trackingLinks" image={EMPTY_IMAGE} />;
  }

  return (
    <Page
      fullWidth
      title={data.archived ? t("trackingLinks.archivedHeading") : t("trackingLinks.title")}
      subtitle={t("trackingLinks.subtitle")}
      backAction={data.archived ? { content: t("trackingLinks.showActive"), onAction: () => view(false) } : undefined}
      primaryAction={
        !data.archived && data.links.length && data.accounts.length
          ? { content: t("trackingLinks.create"), onAction: create }
          : undefined
      }
      secondaryActions={
        data.archived || data.archivedCount === 0
          ? []
          : [{ content: t("trackingLinks.showArchived", { count: data.archivedCount }), onAction: () => view(true) }]
      }
    >
      <Layout>
        <Notice message={list.notice} onDismiss={list.dismissNotice} />
        {withoutLiff.length > 0 && (
          <Layout.Section>
            <Banner tone="warning" action={{ content: t("trackingLinks.noLiff.action"), url: "/app/accounts" }}>
              {t("trackingLinks.noLiff.body", { accounts: withoutLiff.join(", ") })}
            </Banner>
          </Layout.Section>
        )}
        <Layout.Section>
          <Card padding={data.links.length ? "0" : undefined}>
            {data.links.length > 0 ? (
              <LinkTable
                links={data.links}
                archived={data.archived}
                onEdit={(link) => list.edit({ mode: "edit", link })}
                onArchive={(link) => list.edit({ mode: "archive", link })}
              />
            ) : data.archived ? (
              <Text as="p" tone="subdued">
                {t("trackingLinks.archivedNone")}
              </Text>
            ) : (
              <EmptyState
                heading={t("trackingLinks.empty.heading")}
                action={{ content: t("trackingLinks.create"), onAction: create }}
                image={EMPTY_IMAGE}
              >
                <BlockStack gap="200">
                  <p>{t("trackingLinks.empty.body")}</p>
                  <p>{t("trackingLinks.empty.report")}</p>
                </BlockStack>
              </EmptyState>
            )}
          </Card>
        </Layout.Section>
      </Layout>
      {(list.editing?.mode === "create" || list.editing?.mode === "edit") && (
        <LinkModal
          key={list.editing.mode === "edit" ? list.editing.link.id : "new"}
          link={list.editing.mode === "edit" ? list.editing.link : null}
          data={data}
          onClose={list.close}
          onDone={list.done}
        />
      )}
      {list.editing?.mode === "archive" && (
        <IntentConfirmModal<typeof action>
          title={t("trackingLinks.archiveModal.title", { name: list.editing.link.name })}
          confirm={t("trackingLinks.archiveModal.confirm")}
          cancel={t("trackingLinks.form.cancel")}
          intent={{ intent: "archive", id: list.editing.link.id }}
          onClose={list.close}
          onDone={(answer) => list.done(t("trackingLinks.archived", { name: answer.name }))}
        >
          <Text as="p">{t("trackingLinks.archiveModal.body")}</Text>
          <Text as="p" tone="subdued">
            {t("trackingLinks.archiveModal.kept")}
          </Text>
        </IntentConfirmModal>
      )}
    </Page>
  );
}

/** The template expanded by the server for a sample friend, a moment after the merchant stops typing. */
function usePostbackPreview(template: string, landingPageUrl: string, code: string) {
  const fetcher = useFetcher<typeof action>();
  const { submit } = fetcher;
  useEffect(() => {
    if (!template.trim()) return;
    const timer = setTimeout(
      () => submit({ intent: "preview", postbackUrl: template, landingPageUrl, code }, { method: "post" }),
      300,
    );
    return () => clearTimeout(timer);
  }, [template, landingPageUrl, code, submit]);
  if (!template.trim()) return null;
  return fetcher.data && "preview" in fetcher.data ? fetcher.data.preview : null;
}

const splitTags = (value: string) =>
  value
    .split(/[,、，]/)
    .map((tag) => tag.trim())
    .filter(Boolean);

/** Creates or edits a link; onDone gets the notice to show. */
function LinkModal(props: {
  link: TrackingLinkRow | null;
  data: Data;
  onClose: () => void;
  onDone: (notice: string) => void;
}) {
  const t = useT();
  const { link, data } = props;
  const { fetcher, errors, fieldError, busy } = useRouteAction<typeof action>(({ name }) =>
    props.onDone(t(link ? "trackingLinks.saved" : "trackingLinks.created", { name })),
  );
  const [name, setName] = useState(link?.name ?? "");
  const [lineAccountId, setLineAccountId] = useState(link?.lineAccountId ?? data.accounts[0]?.id ?? "");
  const [landingPageUrl, setLandingPageUrl] = useState(link?.landingPageUrl ?? "");
  const [tags, setTags] = useState(link?.tagNames.join(", ") ?? "");
  const [postbackUrl, setPostbackUrl] = useState(link?.postbackUrl ?? "");
  const [postbackMethod, setPostbackMethod] = useState<string>(link?.postbackMethod ?? "GET");
  const preview = usePostbackPreview(postbackUrl, landingPageUrl, link?.code ?? "");
  const tagError = fieldError("tagNames", ...Object.keys(errors).filter((field) => field.startsWith("tagNames.")));
  // A link may stay on an account disconnected since; it is listed so the form shows the truth.
  const accountOptions = data.accounts.map((account) => ({ label: account.displayName, value: account.id }));
  if (link && !accountOptions.some((option) => option.value === link.lineAccountId)) {
    accountOptions.push({ label: `${link.accountName} (${t("trackingLinks.accountDisconnected")})`, value: link.lineAccountId });
  }

  const save = () => {
    const form = new FormData();
    form.set("intent", link ? "update" : "create");
    form.set("id", link?.id ?? "");
    form.set("name", name);
    form.set("lineAccountId", lineAccountId);
    form.set("landingPageUrl", landingPageUrl);
    for (const tag of splitTags(tags)) form.append("tagNames", tag);
    form.set("postbackUrl", postbackUrl);
    form.set("postbackMethod", postbackMethod);
    fetcher.submit(form, { method: "post" });
  };

  return (
    <Modal
      open
      size="large"
      onClose={props.onClose}
      title={link ? t("trackingLinks.form.editTitle") : t("trackingLinks.form.createTitle")}
      primaryAction={{ content: t("trackingLinks.form.save"), onAction: save, loading: busy }}
      secondaryActions={[{ content: t("trackingLinks.form.cancel"), onAction: props.onClose }]}
    >
      <Modal.Section>
        <form
          onSubmit={(event) => {
            event.preventDefault();
            save();
          }}
        >
          <BlockStack gap="400">
            {errors.form && <Banner tone="critical">{fieldError("form")}</Banner>}
            {link && (
              <BlockStack gap="100">
                <Text as="span" fontWeight="medium">
                  {t("trackingLinks.form.url")}
                </Text>
                <CopyUrl url={link.url} name={link.name} full />
                <Text as="p" variant="bodySm" tone="subdued">
                  {t("trackingLinks.form.urlHelp")}
                </Text>
              </BlockStack>
            )}
            <FormLayout>
              <FormLayout.Group>
                <TextField
                  label={t("trackingLinks.form.name")}
                  value={name}
                  onChange={setName}
                  autoComplete="off"
                  maxLength={data.limits.name}
                  showCharacterCount
                  helpText={t("trackingLinks.form.nameHelp")}
                  error={fieldError("name")}
                />
                <Select
                  label={t("trackingLinks.form.account")}
                  options={accountOptions}
                  value={lineAccountId}
                  onChange={setLineAccountId}
                  helpText={t("trackingLinks.form.accountHelp")}
                  error={fieldError("lineAccountId")}
                />
              </FormLayout.Group>
              <TextField
                label={t("trackingLinks.form.landingPageUrl")}
                value={landingPageUrl}
                onChange={setLandingPageUrl}
                autoComplete="off"
                type="url"
                placeholder="https://shop.example.com/pages/spring-sale"
                helpText={t("trackingLinks.form.landingPageUrlHelp")}
                error={fieldError("landingPageUrl")}
              />
              <BlockStack gap="200">
                <TextField
                  label={t("trackingLinks.form.tags")}
                  value={tags}
                  onChange={setTags}
                  autoComplete="off"
                  placeholder="Instagram, 春セール"
                  helpText={t("trackingLinks.form.tagsHelp")}
                  error={tagError}
                />
                {splitTags(tags).length > 0 && (
                  <InlineStack gap="100">
                    {splitTags(tags).map((tag) => (
                      <Badge key={tag}>{tag}</Badge>
                    ))}
                  </InlineStack>
                )}
              </BlockStack>
            </FormLayout>
            <Divider />
            <BlockStack gap="300">
              <Text as="h3" variant="headingSm">
                {t("trackingLinks.form.postbackHeading")}
              </Text>
              <Text as="p" tone="subdued">
                {t("trackingLinks.form.postbackIntro")}
              </Text>
              <InlineStack gap="300" wrap={false} blockAlign="start">
                <Box width="100%">
                  <TextField
                    label={t("trackingLinks.form.postbackUrl")}
                    value={postbackUrl}
                    onChange={setPostbackUrl}
                    autoComplete="off"
                    monospaced
                    maxLength={data.limits.url}
                    placeholder="https://ad.example.com/cv?cid={click_id}&t={now}"
                    helpText={t("trackingLinks.form.postbackUrlHelp")}
                    error={fieldError("postbackUrl") ?? (preview?.error ? t(preview.error as MessageKey) : undefined)}
                  />
                </Box>
                <Box minWidth="110px">
                  <Select
                    label={t("trackingLinks.form.postbackMethod")}
                    options={data.methods.map((method) => ({ label: method, value: method }))}
                    value={postbackMethod}
                    onChange={setPostbackMethod}
                    error={fieldError("postbackMethod")}
                  />
                </Box>
              </InlineStack>
              <Box background="bg-surface-secondary" padding="300" borderRadius="200">
                <BlockStack gap="100">
                  <Text as="span" variant="bodySm" fontWeight="semibold">
                    {t("trackingLinks.form.preview")}
                  </Text>
                  <div data-testid="postback-preview">
                    {preview?.url ? (
                      <code style={{ fontSize: "12px", wordBreak: "break-all" }}>
                        {postbackMethod} {preview.url}
                      </code>
                    ) : (
                      <Text as="span" variant="bodySm" tone="subdued">
                        {t("trackingLinks.form.previewEmpty")}
                      </Text>
                    )}
                  </div>
                </BlockStack>
              </Box>
              <BlockStack gap="100">
                <Text as="span" variant="bodySm" fontWeight="semibold">
                  {t("trackingLinks.form.variables")}
                </Text>
                <dl style={{ margin: 0, display: "grid", gridTemplateColumns: "max-content 1fr", gap: "2px 12px" }}>
                  {data.variables.map((variable) => (
                    <VariableHelp key={variable} name={`{${variable}}`} text={t(`trackingLinks.form.var.${variable}`)} />
                  ))}
                  <VariableHelp name="{…}" text={t("trackingLinks.form.var.param")} />
                </dl>
              </BlockStack>
            </BlockStack>
          </BlockStack>
        </form>
      </Modal.Section>
    </Modal>
  );
}

function VariableHelp(props: { name: string; text: string }) {
  return (
    <>
      <dt>
        <code style={{ fontSize: "12px" }}>{props.name}</code>
      </dt>
      <dd style={{ margin: 0 }}>
        <Text as="span" variant="bodySm" tone="subdued">
          {props.text}
        </Text>
      </dd>
    </>
  );
}
