// One tracking link as the tracking-links page receives it: the type its components share with the route.
import type { SerializeFrom } from "@remix-run/node";
import type { TrackingLinkRow as StoredTrackingLinkRow } from "./tracking-admin.server";

/** `attributes`: whether the link's account can record friend attributes (its LIFF app and LINE Login are set up). */
export type TrackingLinkRow = SerializeFrom<StoredTrackingLinkRow & { attributes: boolean }>;
