#!/usr/bin/env node
// A bare Node socket.io 4 room server speaking bench/bare_server.py's protocol: the reference a user would
// otherwise pick (issue 17), measured by bench/live_load.py beside the app and bare Flask-SocketIO.
//
//   node bench/loader/bare_server.js --port 5902
//
// Every client joins room "bench" on connect. `bench:join` acks {ok, data: {seq}} (the current number, as
// `live:join` does in the app); `bench:act` {kind, ref} is one action: the server numbers it, broadcasts ONE
// `bench:event` {seq, at, kind, ref} to the room ("at" = ms since the epoch when it publishes, as in the
// app's envelope) and acks {ok, data: {seq}}. No database, no auth, no message queue.
//
// Frames: socket.io 4's default, perMessageDeflate off (set here explicitly), so websocket frames are plain,
// as the app's are (debate/realtime/frames.py) and as bare_server.py's with --plain-frames.
// Listens on 127.0.0.1 only.
"use strict";

const http = require("http");
const { Server } = require("socket.io");

function option(name, fallback) {
  const at = process.argv.indexOf(`--${name}`);
  return at > 0 && at + 1 < process.argv.length ? process.argv[at + 1] : fallback;
}

const port = Number(option("port", "5902"));
if (!Number.isInteger(port) || port <= 0) {
  process.stderr.write("bare_server.js: --port N is required\n");
  process.exit(2);
}

const httpServer = http.createServer();
const io = new Server(httpServer, { perMessageDeflate: false, cors: { origin: "*" } });
let seq = 0;

io.on("connection", (socket) => {
  socket.join("bench");
  socket.on("bench:join", (_data, ack) => {
    if (typeof ack === "function") ack({ ok: true, data: { seq } });
  });
  socket.on("bench:act", (data, ack) => {
    const d = data && typeof data === "object" ? data : {};
    seq += 1; // numbering and broadcasting happen in one turn of the event loop: numbers follow broadcast order
    const event = { seq, at: Date.now(), kind: String(d.kind ?? "").slice(0, 10), ref: d.ref ?? null };
    io.to("bench").emit("bench:event", event);
    if (typeof ack === "function") ack({ ok: true, data: { seq } });
  });
});

httpServer.listen(port, "127.0.0.1", () => {
  process.stderr.write(`bare node server port=${port} socket.io ${require("socket.io/package.json").version}\n`);
});
for (const signal of ["SIGTERM", "SIGINT"]) process.on(signal, () => process.exit(0));
