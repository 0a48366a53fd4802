// The menu image: chosen by the merchant, checked by the server against LINE's limits (what it says names the limit
// broken), and, when only the file size or a resizable dimension is off, an offer to make a copy that fits: the
// merchant confirms, the server resizes/compresses and checks the copy again.
import { Banner, BlockStack, Button, DropZone, InlineStack, Spinner, Text } from "@shopify/polaris";
import { useState } from "react";
import { useT } from "../../i18n/i18n";
import type { MessageKey } from "../../i18n/messages";
import type { MenuSize } from "../model";

export type ImageInfo = { type: string; width: number; height: number; bytes: number };
export type ImageProblemView = { key: string; values: Record<string, string | number> };
type FixOffer = { width: number; height: number; compress: boolean };
type Answer =
  | { ok: true; image: ImageInfo; dataUrl?: string }
  | { ok: false; problems?: ImageProblemView[]; fix?: FixOffer | null; error?: string };

const ENDPOINT = "/app/api/rich-menu-image";

async function post(file: Blob, size: MenuSize, fix: boolean): Promise<Answer> {
  const form = new FormData();
  form.append("file", file);
  form.append("size", size);
  if (fix) form.append("fix", "1");
  try {
    const response = await fetch(ENDPOINT, { method: "POST", body: form, headers: { accept: "application/json" } });
    return (await response.json()) as Answer;
  } catch {
    return { ok: false, error: "richMenuPages.error.imageMissing" };
  }
}

export const fileSize = (bytes: number) => (bytes >= 1024 * 1024 ? `${(bytes / (1024 * 1024)).toFixed(2)} MB` : `${Math.ceil(bytes / 1024)} KB`);

/** `onImage` gets the image to save (the file, or the fixed copy) with its object URL for the preview. */
export function ImageField(props: { size: MenuSize; current: ImageInfo | null; onImage: (image: { blob: Blob; url: string; info: ImageInfo }) => void; error?: ImageProblemView[] }) {
  const t = useT();
  const tr = (key: string, values?: Record<string, string | number>) => t(key as MessageKey, values);
  const [busy, setBusy] = useState(false);
  const [pending, setPending] = useState<{ file: File; problems: ImageProblemView[]; fix: FixOffer | null } | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const [fixed, setFixed] = useState<ImageInfo | null>(null);

  const choose = async (file: File | undefined) => {
    if (!file) return;
    setBusy(true);
    setFailure(null);
    setFixed(null);
    setPending(null);
    const answer = await post(file, props.size, false);
    setBusy(false);
    if (answer.ok) return props.onImage({ blob: file, url: URL.createObjectURL(file), info: answer.image });
    if (answer.problems) return setPending({ file, problems: answer.problems, fix: answer.fix ?? null });
    setFailure(answer.error ?? "richMenuPages.error.imageMissing");
  };
  const fix = async () => {
    if (!pending) return;
    setBusy(true);
    const answer = await post(pending.file, props.size, true);
    setBusy(false);
    if (answer.ok && answer.dataUrl) {
      const blob = await (await fetch(answer.dataUrl)).blob();
      setPending(null);
      setFixed(answer.image);
      return props.onImage({ blob, url: URL.createObjectURL(blob), info: answer.image });
    }
    if (!answer.ok && answer.problems) return setPending({ ...pending, problems: answer.problems, fix: null });
    setFailure(!answer.ok && answer.error ? answer.error : "richMenuPages.image.fixFailed");
  };
  const problems = pending?.problems ?? props.error ?? [];
  const sizeName = t(props.size === "full" ? "richMenuPages.size.full" : "richMenuPages.size.compact");
  return (
    <BlockStack gap="300">
      <DropZone accept="image/jpeg,image/png" type="image" allowMultiple={false} onDrop={(files) => void choose(files[0])} label={t("richMenuPages.image.heading")} labelHidden>
        <DropZone.FileUpload actionTitle={props.current ? t("richMenuPages.image.replace") : t("richMenuPages.image.choose")} actionHint="JPEG / PNG · ≤ 1 MB" />
      </DropZone>
      <Text as="p" variant="bodySm" tone="subdued">
        {t("richMenuPages.image.help", { size: sizeName })}
      </Text>
      {busy ? (
        <InlineStack gap="200" blockAlign="center">
          <Spinner size="small" accessibilityLabel={t("richMenuPages.image.checking")} />
          <Text as="span">{t("richMenuPages.image.checking")}</Text>
        </InlineStack>
      ) : null}
      {problems.length ? (
        <Banner tone="critical" title={t("richMenuPages.image.problemTitle")}>
          <BlockStack gap="200">
            {problems.map((problem) => (
              <p key={problem.key}>{tr(problem.key, problem.values)}</p>
            ))}
            {pending?.fix ? (
              <>
                <p>{t("richMenuPages.image.fixOffer", { width: pending.fix.width, height: pending.fix.height, compress: pending.fix.compress ? t("richMenuPages.image.fixCompress") : "" })}</p>
                <InlineStack>
                  <Button onClick={() => void fix()} loading={busy}>
                    {t("richMenuPages.image.fix")}
                  </Button>
                </InlineStack>
              </>
            ) : null}
          </BlockStack>
        </Banner>
      ) : null}
      {failure ? <Banner tone="critical">{tr(failure)}</Banner> : null}
      {fixed ? (
        <Banner tone="success">{t("richMenuPages.image.fixed", { width: fixed.width, height: fixed.height, size: fileSize(fixed.bytes) })}</Banner>
      ) : props.current && !problems.length ? (
        <Text as="p" tone="success">
          {t("richMenuPages.image.ok", { width: props.current.width, height: props.current.height, size: fileSize(props.current.bytes) })}
        </Text>
      ) : null}
    </BlockStack>
  );
}
