// Taps per area: LINE's rich-menu insight (clicks per area, matched by the area's bounds; none below LINE's
// privacy threshold or before the day after publishing) beside the clicks our own /r/ links counted.
import { DataTable, Text } from "@shopify/polaris";
import { SectionCard } from "../../components/section-card";
import { useT } from "../../i18n/i18n";
import type { Area } from "../model";
import { describeAction, type Names } from "./describe";

export type StatsView = {
  insight: { impressions: { count: number; uniqueUsers: number } | null; clicks: { bounds: Area["bounds"]; count: number; uniqueUsers: number }[] } | null;
  linkClicks: { area: number; clicks: number }[];
  friends: number;
};

const same = (a: Area["bounds"], b: Area["bounds"]) => a.x === b.x && a.y === b.y && a.width === b.width && a.height === b.height;

export function StatsCard(props: { stats: StatsView; areas: Area[]; names: Names }) {
  const t = useT();
  const { insight, linkClicks, friends } = props.stats;
  const rows = props.areas.map((area, index) => {
    const line = insight?.clicks.find((click) => same(click.bounds, area.bounds));
    const ours = linkClicks.find((entry) => entry.area === index);
    return [`${index + 1}. ${describeAction(t, area.action, props.names)}`, line ? line.count.toLocaleString() : "—", ours ? ours.clicks.toLocaleString() : "—"];
  });
  return (
    <SectionCard title={t("richMenuPages.stats.heading")}>
      <Text as="p" tone="subdued">
        {t("richMenuPages.stats.friends", { count: friends.toLocaleString() })}
      </Text>
      {insight?.impressions ? (
        <Text as="p">{t("richMenuPages.stats.impressions", { count: insight.impressions.count.toLocaleString(), users: insight.impressions.uniqueUsers.toLocaleString() })}</Text>
      ) : (
        <Text as="p" tone="subdued">
          {t("richMenuPages.stats.none")}
        </Text>
      )}
      <DataTable
        columnContentTypes={["text", "numeric", "numeric"]}
        headings={[t("richMenuPages.stats.area"), t("richMenuPages.stats.clicks"), t("richMenuPages.stats.linkClicks")]}
        rows={rows}
      />
    </SectionCard>
  );
}
