import { APP_BRIDGE_STAND_IN } from "../demo/app-bridge-stand-in";
import { requireDemo } from "../demo/demo.server";

/** The demo's App Bridge stand-in (app/demo/app-bridge-stand-in.ts); 404 in production. */
export const loader = () => {
  requireDemo();
  return new Response(APP_BRIDGE_STAND_IN, {
    headers: { "content-type": "text/javascript; charset=utf-8", "cache-control": "no-store" },
  });
};

/** Nothing to post here; in production not even that (404). */
export const action = () => {
  requireDemo();
  return new Response("Method not allowed", { status: 405 });
};
