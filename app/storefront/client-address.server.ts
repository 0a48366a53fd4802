// Who is asking, as far as this deployment can know: per-address rate limits count under this key. The
// X-Forwarded-For header is the client's to write, so only the hops our own proxies added (TRUST_PROXY) count.
import type { IncomingMessage } from "node:http";
import type { AppLoadContext } from "@remix-run/node";
import ipaddr from "ipaddr.js";
import proxyaddr from "proxy-addr";

declare module "@remix-run/node" {
  interface AppLoadContext {
    /** Set by app/server.ts for every request Remix handles. */
    clientAddress?: string;
  }
}

/** The socket's peer, or with `trustedHops` proxies in front, the address the outermost of them saw. */
export function requestClientAddress(request: IncomingMessage, trustedHops: number): string {
  return proxyaddr(request, (_address, hop) => hop < trustedHops) || "unknown";
}

/**
 * The key a per-address limit counts under: an IPv4 address as it is, an IPv6 one by its /64 network (one host or
 * household is routinely given a whole /64, so counting single IPv6 addresses would not limit anybody).
 */
export function clientKey(context: AppLoadContext): string {
  const address = context.clientAddress;
  if (!address || !ipaddr.isValid(address)) return "unknown";
  const parsed = ipaddr.process(address);
  if (parsed.kind() === "ipv4") return parsed.toString();
  return `${(parsed as ipaddr.IPv6).parts.slice(0, 4).map((part) => part.toString(16)).join(":")}::/64`;
}
