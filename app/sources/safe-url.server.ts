// Outbound requests to merchant-configured URLs (conversion postbacks) must not reach our own network:
// https only, and every address a host resolves to must be public. The check runs inside the connection's
// DNS lookup, so a name that resolves differently a second time (DNS rebinding) is caught too.
import { BlockList, isIP } from "node:net";
import { lookup as dnsLookup, type LookupAddress } from "node:dns";
import ipaddr from "ipaddr.js";
import { env } from "../env.server";

const blocked = new BlockList();
for (const [network, prefix] of [
  ["0.0.0.0", 8], ["10.0.0.0", 8], ["100.64.0.0", 10], ["127.0.0.0", 8], ["169.254.0.0", 16], ["172.16.0.0", 12],
  ["192.0.0.0", 24], ["192.168.0.0", 16], ["198.18.0.0", 15], ["224.0.0.0", 4], ["240.0.0.0", 4],
] as const) blocked.addSubnet(network, prefix, "ipv4");
for (const [network, prefix] of [
  ["::", 128], ["::1", 128], ["fc00::", 7], ["fe80::", 10], ["ff00::", 8], ["64:ff9b::", 96], ["64:ff9b:1::", 48],
] as const) blocked.addSubnet(network, prefix, "ipv6");

/**
 * The IPv4 address an IPv6 address stands for: IPv4-compatible (::a.b.c.d, also written ::7f00:1), IPv4-mapped
 * (::ffff:a.b.c.d), IPv4-translated (::ffff:0:a.b.c.d) and 6to4 (2002:AABB:CCDD::). Each reaches that IPv4 host
 * on some stacks, so each is judged as that address.
 */
function embeddedIPv4(address: ipaddr.IPv6): string | null {
  const parts = address.parts;
  const ipv4 = (high: number, low: number) => `${high >> 8}.${high & 255}.${low >> 8}.${low & 255}`;
  const zeros = (count: number) => parts.slice(0, count).every((part) => part === 0);
  if (zeros(5) && (parts[5] === 0 || parts[5] === 0xffff)) return ipv4(parts[6], parts[7]);
  if (zeros(4) && parts[4] === 0xffff && parts[5] === 0) return ipv4(parts[6], parts[7]);
  if (parts[0] === 0x2002) return ipv4(parts[1], parts[2]);
  return null;
}

export function isPublicAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 4) return !blocked.check(address, "ipv4");
  if (family !== 6) return false;
  const embedded = embeddedIPv4(ipaddr.IPv6.parse(address));
  if (embedded) return isPublicAddress(embedded);
  return !blocked.check(address, "ipv6");
}

/** Hosts a test may reach over http on loopback (POSTBACK_ALLOW_HOSTS); empty in production. */
function allowed(url: URL) {
  return env.POSTBACK_ALLOW_HOSTS.includes(url.host);
}

export type UrlRefusal = "invalid-url" | "not-https" | "private-address" | "variable-host";

/** Checks what can be checked without DNS; returns the reason a URL is refused, or null. */
export function refuseUrl(raw: string): UrlRefusal | null {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return "invalid-url";
  }
  // A template whose server part holds a variable is never filled in (expandTemplate): refuse it as it stands.
  if (/[{}]|%7b|%7d/i.test(`${url.username}:${url.password}@${url.host}`)) return "variable-host";
  if (allowed(url)) return null;
  if (url.protocol !== "https:") return "not-https";
  const host = url.hostname.replace(/^\[|\]$/g, "");
  if (isIP(host) && !isPublicAddress(host)) return "private-address";
  if (/^localhost$|\.localhost$|\.local$|\.internal$/i.test(host)) return "private-address";
  return null;
}

export class PrivateAddressError extends Error {
  override name = "PrivateAddressError";
}

/** A `lookup` for http(s).request that refuses non-public answers (unless the host is test-allowlisted). */
export function publicOnlyLookup(allowPrivate: boolean) {
  return (
    hostname: string,
    options: object,
    callback: (error: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void,
  ) => {
    dnsLookup(hostname, { ...options, all: true }, (error, addresses) => {
      if (error) return callback(error, []);
      const list = addresses as LookupAddress[];
      if (!allowPrivate && list.some((entry) => !isPublicAddress(entry.address))) {
        return callback(new PrivateAddressError(`${hostname} resolves to a non-public address`), []);
      }
      const wantsAll = (options as { all?: boolean }).all;
      if (wantsAll) return callback(null, list);
      return callback(null, list[0].address, list[0].family);
    });
  };
}

export function isAllowlisted(raw: string) {
  try {
    return allowed(new URL(raw));
  } catch {
    return false;
  }
}
