/**
 * The URLs `room serve` prints: localhost first, then one per non-internal IPv4 address when it
 * listens on every interface; only the named host otherwise. And the caveat names what a LAN
 * address over plain http loses (secure-context features) and both ways back.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import type { NetworkInterfaceInfo } from "node:os";
import { LAN_CAVEAT, roomUrls } from "../../src/room/site/addresses";

const iface = (address: string, family: "IPv4" | "IPv6", internal: boolean) => ({ address, family, internal, netmask: "", mac: "", cidr: null }) as unknown as NetworkInterfaceInfo;
const interfaces = {
  lo: [iface("127.0.0.1", "IPv4", true), iface("::1", "IPv6", true)],
  eth0: [iface("192.168.1.20", "IPv4", false), iface("fe80::1", "IPv6", false)],
  wlan0: [iface("10.0.0.7", "IPv4", false)],
};

test("0.0.0.0: localhost, then each LAN IPv4 address (no loopback, no link-local IPv6)", () => {
  assert.equal(roomUrls("0.0.0.0", 8000, interfaces), { local: "http://localhost:8000/", lan: ["http://192.168.1.20:8000/", "http://10.0.0.7:8000/"] });
});

test("a named host: that host alone; 127.0.0.1 is shown as localhost", () => {
  assert.equal(roomUrls("127.0.0.1", 8080, interfaces), { local: "http://localhost:8080/", lan: [] });
  assert.equal(roomUrls("192.168.1.20", 8080, interfaces), { local: "http://192.168.1.20:8080/", lan: [] });
});

test("the caveat: no service worker/offline, no SharedArrayBuffer/threads, no WebGPU; https or each learner's localhost", () => {
  for (const words of [/service worker/, /offline/, /SharedArrayBuffer/, /thread/, /WebGPU/, /https/, /localhost/]) assert.match(LAN_CAVEAT, words);
});

test.run();
