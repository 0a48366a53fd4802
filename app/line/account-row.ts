// One LINE account as the accounts page receives it: the type its components share with the route.
import type { SerializeFrom } from "@remix-run/node";
import type { accountsPage } from "./accounts-page.server";

export type AccountRow = SerializeFrom<Awaited<ReturnType<typeof accountsPage>>["accounts"][number]>;
