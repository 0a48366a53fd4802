// The segment editor page: a name and condition groups, the live count beside them (above them on a phone), the
// contextual save bar while anything differs from what is stored, a toast once saved.
import { useNavigate } from "@remix-run/react";
import { Banner, BlockStack, Card, Layout, Page, TextField, useBreakpoints } from "@shopify/polaris";
import { useEffect, useState } from "react";
import { useDraft } from "../components/draft";
import { UnsavedChangesBar } from "../components/save-bar";
import { useToast } from "../components/toast";
import { useRouteAction } from "../components/use-route-action";
import { useT } from "../i18n/i18n";
import type { MessageKey } from "../i18n/messages";
import { SegmentConditionsEditor } from "./editor";
import { LiveCount } from "./live-count";
import { EMPTY_DEFINITION, issuesByPath, SEGMENT_NAME_MAX, segmentDefinitionSchema, type SegmentDefinition } from "./model";
import type { EditorOptions } from "./options";

/** What the segment route's action answers. */
export type SegmentAnswer =
  | { ok: true; segment: { id: string; name: string }; created: boolean }
  | { ok: false; errors: Record<string, string> };

type Stored = { id: string; name: string; definition: SegmentDefinition } | null;

export function SegmentPage({ segment, options }: { segment: Stored; options: EditorOptions }) {
  const t = useT();
  const toast = useToast();
  const navigate = useNavigate();
  const draft = useDraft({ name: segment?.name ?? "", definition: segment?.definition ?? EMPTY_DEFINITION });
  const { name, definition } = draft.value;
  const [tried, setTried] = useState(false);
  const [goTo, setGoTo] = useState<string | null>(null);
  const { fetcher, errors, setErrors, clearError, fieldError, busy } = useRouteAction<() => Promise<SegmentAnswer>>((answer) => {
    draft.saved();
    toast(t("segments.saved"));
    if (answer.created) setGoTo(`/app/segments/${answer.segment.id}`);
  });
  // A new segment moves to its own address once the save bar has closed (leaving with changes would ask first).
  useEffect(() => {
    if (goTo && !draft.dirty) navigate(goTo, { replace: true });
  }, [goTo, draft.dirty, navigate]);

  // After a first save attempt, the editor's own check marks incomplete conditions as they are edited.
  const local = segmentDefinitionSchema.safeParse(definition);
  const conditionErrors = { ...(tried && !local.success ? issuesByPath(local.error) : {}), ...errors };
  const save = () => {
    setTried(true);
    draft.submitting(draft.value);
    fetcher.submit({ intent: "save", name, definition: JSON.stringify(definition) }, { method: "post" });
  };
  const edit = (next: SegmentDefinition) => {
    clearError(...Object.keys(errors).filter((key) => key !== "name"));
    draft.setValue((current) => ({ ...current, definition: next }));
  };
  const discard = () => {
    setTried(false);
    setErrors({});
    draft.discard();
  };
  // Beside the conditions on wide screens; above them on narrow ones, where a card below would be out of sight.
  const { mdUp } = useBreakpoints({ defaults: { mdUp: true } });
  const count = <LiveCount definition={definition} segmentId={segment?.id ?? null} />;
  const problems = [...new Set([errors.form, errors.definition].filter(Boolean))] as string[];

  return (
    <Page
      title={draft.stored.name || t("segments.editor.newTitle")}
      backAction={{ content: t("segments.editor.back"), url: "/app/segments" }}
      primaryAction={{ content: t("segments.editor.save"), onAction: save, loading: busy }}
    >
      <UnsavedChangesBar id="segment-save-bar" dirty={draft.dirty} saving={busy} onSave={save} onDiscard={discard} />
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
        <Layout.Section>
          <BlockStack gap="400">
            {mdUp ? null : count}
            <Card>
              <TextField
                label={t("segments.editor.name")}
                value={name}
                onChange={(value) => {
                  clearError("name");
                  draft.setValue((current) => ({ ...current, name: value }));
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
