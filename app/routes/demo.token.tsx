import { demoSessionToken, requireDemo } from "../demo/demo.server";

/** A session token for the demo shop, as `shopify.idToken()` answers in the admin; 404 in production. */
export const loader = () => {
  requireDemo();
  return Response.json({ token: demoSessionToken() }, { headers: { "cache-control": "no-store" } });
};

/** Nothing to post here; in production not even that (404). */
export const action = () => {
  requireDemo();
  return new Response("Method not allowed", { status: 405 });
};
