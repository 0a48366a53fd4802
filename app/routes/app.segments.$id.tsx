// The segment editor: /app/segments/new creates, /app/segments/<id> edits. The conditions' live count comes
// from app.segments.count.tsx.
import { json, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData, useNavigate } from "@remix-run/react";
import { Banner, BlockStack, Card, Layout, Page, TextField, useBreakpoints } from "@shopify/polaris";
import { useState } from "react";
import { useRouteAction } from "../components/use-route-action";
import { useT } from "../i18n/i18n";
import type { MessageKey } from "../i18n/messages";
import { SegmentConditionsEditor } from "../segments/editor";
import { LiveCount } from "../segments/live-count";
import { EMPTY_DEFINITION, issuesByPath, SEGMENT_NAME_MAX, segmentDefinitionSchema, type SegmentDefinition } from "../segments/model";
import { editorOptions, getSegment, saveSegment } from "../segments/segments.server";
import { ensureShop } from "../shops/shops.server";
import { authenticate } from "../shopify.server";

const notFound = () => json({ ok: false as const, errors: { form: "segments.error.notFound" } }, { status: 404 });

export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  await ensureShop(session.shop);
  const segment = params.id === "new" ? null : await getSegment(session.shop, params.id ?? "");
  if (params.id !== "new" && !segment) throw notFound();
  return { segment, options: await editorOptions(session.shop) };
};

export const action = async ({ request, params }: ActionFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const form = await request.formData();
  if (form.get("intent") !== "save") return json({ ok: false as const, errors: { form: "segments.error.intent" } }, { status: 400 });
  const result = await saveSegment(session.shop, params.id === "new" ? null : (params.id ?? ""), {
    name: form.get("name"),
    definition: form.get("definition") ?? "",
  });
  if ("errors" in result) {
    if (result.errors.form === "segments.error.notFound") return notFound();
    return json({ ok: false as const, errors: result.errors }, { status: 422 });
  }
  return json({ ok: true as const, segment: result.segment, created: params.id === "new" });
};

export default function SegmentPage() {
  const { segment, options } = useLoaderData<typeof loader>();
  const t = useT();
  const navigate = useNavigate();
  const [name, setName] = useState(segment?.name ?? "");
  const [definition, setDefinition] = useState<SegmentDefinition>((segment?.definition as SegmentDefinition) ?? EMPTY_DEFINITION);
  const [tried, setTried] = useState(false);
  const [saved, setSaved] = useState(false);
  const { fetcher, errors, clearError, fieldError, busy } = useRouteAction<typeof action>((answer) => {
    if (answer.created) navigate(`/app/segments/${answer.segment.id}`, { replace: true });
    setSaved(true);
  });

  // After a first save attempt, the editor's own check marks incomplete conditions as they are edited.
  const local = segmentDefinitionSchema.safeParse(definition);
  const conditionErrors = { ...(tried && !local.success ? issuesByPath(local.error) : {}), ...errors };
  const save = () => {
    setTried(true);
    setSaved(false);
    fetcher.submit({ intent: "save", name, definition: JSON.stringify(definition) }, { method: "post" });
  };
  const edit = (next: SegmentDefinition) => {
    setSaved(false);
    clearError(...Object.keys(errors).filter((key) => key !== "name"));
    setDefinition(next);
  };
  // Beside the conditions on wide screens; above them on narrow ones, where a card below would be out of sight.
  const { mdUp } = useBreakpoints({ defaults: { mdUp: true } });
  const count = <LiveCount definition={definition} segmentId={segment?.id ?? null} />;
  const problems = [...new Set([errors.form, errors.definition].filter(Boolean))] as string[];

  return (
    <Page
      title={segment?.name ?? t("segments.editor.newTitle")}
      backAction={{ content: t("segments.editor.back"), url: "/app/segments" }}
      primaryAction={{ content: t("segments.editor.save"), onAction: save, loading: busy }}
    >
      <Layout>
        {problems.length ? (
          <Layout.Section>
            <Banner tone="critical" title={t("segments.editor.errorsTitle")}>
              {problems.map((key) => (
                <p key={key}>{t(key as MessageKey)}</p>
              ))}
            </Banner>
          </Layout.Section>
        ) : null}
        {saved ? (
          <Layout.Section>
            <Banner tone="success" onDismiss={() => setSaved(false)}>
              {t("segments.saved")}
            </Banner>
          </Layout.Section>
        ) : null}
        <Layout.Section>
          <BlockStack gap="400">
            {mdUp ? null : count}
            <Card>
              <TextField
                label={t("segments.editor.name")}
                value={name}
                onChange={(value) => {
                  clearError("name");
                  setSaved(false);
                  setName(value);
                }}
                maxLength={SEGMENT_NAME_MAX}
                showCharacterCount
                helpText={t("segments.editor.nameHelp")}
                error={fieldError("name")}
                autoComplete="off"
              />
            </Card>
            <SegmentConditionsEditor value={definition} onChange={edit} options={options} errors={conditionErrors} />
          </BlockStack>
        </Layout.Section>
        {mdUp ? (
          <Layout.Section variant="oneThird">
            <div style={{ position: "sticky", top: "16px" }}>{count}</div>
          </Layout.Section>
        ) : null}
      </Layout>
    </Page>
  );
}
