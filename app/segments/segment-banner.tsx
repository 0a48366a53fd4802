// Above the friends list opened as a segment (/app/friends?segment=<id>): which segment, a way back to edit it,
// and a way out to every friend.
import { Banner } from "@shopify/polaris";
import { useT } from "../i18n/i18n";

export function SegmentBanner(props: { segment: { id: string; name: string } }) {
  const t = useT();
  return (
    <Banner
      tone="info"
      title={t("segments.banner.title", { name: props.segment.name })}
      action={{ content: t("segments.banner.edit"), url: `/app/segments/${props.segment.id}` }}
      secondaryAction={{ content: t("segments.banner.clear"), url: "/app/friends" }}
    >
      <p>{t("segments.banner.body")}</p>
    </Banner>
  );
}
