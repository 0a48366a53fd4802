// Types of the tracking-links page as the browser receives them (dates as strings).
import type { SerializeFrom } from "@remix-run/node";
import type { trackingLinksView } from "./tracking-view.server";

export type TrackingPageData = SerializeFrom<typeof trackingLinksView>;
export type TrackingLinkRow = TrackingPageData["links"][number];
