/** A comm transport for tests: keeps every message the kernel would publish on iopub. */
import type { CommMsgType, CommTransport } from "../../src/notebook/comms";

export interface Sent {
  msgType: CommMsgType;
  content: any;
  metadata: any;
  buffers: Uint8Array[];
}

export class FakeTransport implements CommTransport {
  readonly sent: Sent[] = [];
  send(msgType: CommMsgType, content: object, metadata: object = {}, buffers: Uint8Array[] = []): void {
    // cloned, so a later change to the widget cannot rewrite what was "sent"
    this.sent.push({ msgType, content: structuredClone(content), metadata: structuredClone(metadata), buffers });
  }
  types(): string[] {
    return this.sent.map((s) => s.msgType);
  }
  clear(): void {
    this.sent.length = 0;
  }
}
