// Paths under /webhooks/ that no webhook route serves (scanners, a topic this app does not subscribe to): a 404
// and one log line, instead of Remix's "no route matches" error with its stack traces for each request.
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { logger } from "../logger.server";

function notFound({ request }: LoaderFunctionArgs | ActionFunctionArgs) {
  const path = new URL(request.url).pathname;
  logger.info("no webhook route", { method: request.method, path: path.length > 100 ? `${path.slice(0, 100)}…` : path });
  return new Response("Not Found", { status: 404, headers: { "Content-Type": "text/plain" } });
}

export const action = notFound;
export const loader = notFound;
