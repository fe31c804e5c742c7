// A minimal Socket.IO 5 / Engine.IO 4 client over a websocket only (the `ws` package), for the loader.
//
// Why: socket.io-client spends most of a loader's CPU in its layers (an event emitter per layer, the
// parser's generic decoding, debug hooks), so one Node process saturated at ~55,000 messages a second
// (1,000 clients, 5 questions + 50 votes a second); this client does only what the bench needs.
//
// What it speaks (the default namespace "/", text frames, no binary, no polling, no reconnection):
//   server "0{...}" (Engine.IO open)  -> client "40" (Socket.IO connect)
//   server "40{sid}"                  -> "connect";   "44{message}" -> "connect_error"
//   server "2" (ping)                 -> client "3" (pong)
//   server "42[name, data]"           -> the listener of `name`
//   client "42<id>[name, data]"       -> server "43<id>[reply]" resolves emitWithAck
//   server "41" / "1" / socket closed -> "disconnect"
// Headers (Origin, Cookie) go in the upgrade request, as socket.io-client's `extraHeaders` do in Node.
// permessage-deflate is offered as socket.io-client offers it (threshold 1024 bytes): servers that accept
// it (bare Flask-SocketIO as it comes) compress for this client too; the app and bare Node decline it.
"use strict";

const WebSocket = require("ws");

class RawSocket {
  constructor(url, { headers = {}, timeout = 20000 } = {}) {
    const target = new URL(url);
    target.protocol = target.protocol === "https:" ? "wss:" : "ws:";
    target.pathname = "/socket.io/";
    target.search = "?EIO=4&transport=websocket";
    this.listeners = new Map();
    this.acks = new Map();
    this.nextAck = 0;
    this.connected = false;
    this.closed = false;
    this.ws = new WebSocket(target.href, { headers, perMessageDeflate: { threshold: 1024 }, handshakeTimeout: timeout });
    this.ws.on("message", (data, isBinary) => {
      if (!isBinary) this.onFrame(data.toString());
    });
    this.ws.on("error", (err) => {
      if (!this.connected) this.fire("connect_error", err);
    });
    this.ws.on("close", () => this.onClose("transport close"));
  }

  on(event, listener) {
    this.listeners.set(event, listener); // one listener per event is all the loader needs
    return this;
  }

  fire(event, ...args) {
    const listener = this.listeners.get(event);
    if (listener) listener(...args);
  }

  onFrame(text) {
    const engineType = text.charCodeAt(0);
    if (engineType === 52 /* "4" message */) this.onPacket(text);
    else if (engineType === 50 /* "2" ping */) this.ws.send("3");
    else if (engineType === 48 /* "0" open */) this.ws.send("40");
    else if (engineType === 49 /* "1" close */) this.ws.close();
  }

  onPacket(text) {
    const type = text.charCodeAt(1);
    if (type === 50 /* "2" event */) {
      let at = 2;
      while (at < text.length && text.charCodeAt(at) !== 91 /* "[" */) at += 1; // an ack id the server asks for
      const [name, ...args] = JSON.parse(text.slice(at));
      this.fire(name, ...args);
    } else if (type === 51 /* "3" ack */) {
      let at = 2;
      while (at < text.length && text.charCodeAt(at) !== 91) at += 1;
      const id = Number(text.slice(2, at));
      const pending = this.acks.get(id);
      if (pending) {
        this.acks.delete(id);
        clearTimeout(pending.timer);
        pending.resolve(JSON.parse(text.slice(at))[0]);
      }
    } else if (type === 48 /* "0" connect */) {
      this.connected = true;
      this.fire("connect");
    } else if (type === 52 /* "4" connect error */) {
      let message = text.slice(2);
      try {
        message = JSON.parse(message).message ?? message;
      } catch {
        // not JSON: keep the text
      }
      this.fire("connect_error", new Error(message));
      this.ws.close();
    } else if (type === 49 /* "1" disconnect */) {
      this.onClose("io server disconnect");
      this.ws.close();
    }
  }

  onClose(reason) {
    if (this.closed) return;
    this.closed = true;
    for (const pending of this.acks.values()) {
      clearTimeout(pending.timer);
      pending.reject(new Error("disconnected"));
    }
    this.acks.clear();
    if (this.connected) this.fire("disconnect", reason);
    else this.fire("connect_error", new Error(reason));
  }

  emitWithAck(event, payload, timeoutMs = 30000) {
    return new Promise((resolve, reject) => {
      if (this.closed || this.ws.readyState !== WebSocket.OPEN) {
        reject(new Error("not connected"));
        return;
      }
      const id = this.nextAck++;
      const timer = setTimeout(() => {
        this.acks.delete(id);
        reject(new Error("operation has timed out"));
      }, timeoutMs);
      this.acks.set(id, { resolve, reject, timer });
      this.ws.send(`42${id}${JSON.stringify([event, payload])}`);
    });
  }

  disconnect() {
    if (this.closed) return;
    if (this.ws.readyState === WebSocket.OPEN) this.ws.send("41");
    this.connected = false;
    this.closed = true;
    this.ws.close();
  }
}

module.exports = { RawSocket };
