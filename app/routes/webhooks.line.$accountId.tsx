import type { ActionFunctionArgs } from "@remix-run/node";
import { receiveLineWebhook } from "../line/webhook.server";

export const action = ({ request, params }: ActionFunctionArgs) => receiveLineWebhook(params.accountId ?? "", request);

export const loader = () => new Response("Method not allowed", { status: 405 });
