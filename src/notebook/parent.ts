/**
 * @file The request the kernel is handling now: its header, so kernel-side code can name it.
 *
 * The Output widget needs this. It captures outputs by telling the front end "outputs whose
 * parent is request X go into me" (its `msg_id` state), so it must know the current request's
 * msg_id: the `execute_request` of the cell running, or the `comm_msg` whose callback (a slider's
 * observe, a button's click) is running.
 *
 * Contract with the kernel: before it runs the code of a shell request (execute_request, and
 * comm_open / comm_msg / comm_close it hands to the CommManager), the kernel calls
 * `setCurrentParent(request.header)` (kernelCore/requestLoop.ts does, where it sets `current`; it stays the last
 * request's between requests, as late output is parented). Outside a kernel it stays undefined. Kept in a shared slot (slots.ts) so every
 * copy of this module (the kernel's, a notebook's `node_modules/stripes`) sees the same value.
 */
import { getSlot, setSlot } from "./slots";

/** The fields of a Jupyter message header used here. */
export interface ParentHeader {
  msg_id: string;
  msg_type?: string;
}

/** Header of the request being handled (or last handled), or undefined outside a kernel. */
export function currentParent(): ParentHeader | undefined {
  return getSlot<ParentHeader>("parent");
}

/** Called by the kernel as it starts each shell request. */
export function setCurrentParent(header: ParentHeader | undefined): void {
  setSlot("parent", header);
}
