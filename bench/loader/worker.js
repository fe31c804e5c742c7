// One loader worker: holds a share of the clients (their sockets and room state) for loader.js.
//
// Forked by the coordinator (loader.js) with an IPC channel (structured clone: typed arrays cross it as
// they are). The coordinator asks, the worker answers ({type: "req", id, op, args} -> {type: "res", id,
// value}): connect its clients, act through one of them, report how far its clients are, and at the end
// hand over its RAW samples (the coordinator merges them; epoch ms are comparable across processes on
// one machine). A worker exits when the coordinator goes (the IPC channel closes) or on its deadline.
"use strict";

const { now, sleep, Samples } = require("./common");

// --- one client: the room state, kept by the sequence rules -----------------------------------------

function openSocket(cfg, url, headers) {
  if (cfg.client === "raw") {
    const { RawSocket } = require("./raw_client");
    return new RawSocket(url, { headers, timeout: 20000 });
  }
  const { io } = require("socket.io-client");
  return io(url, { transports: ["websocket"], reconnection: false, forceNew: true, timeout: 20000, extraHeaders: headers });
}

class Client {
  constructor(index, spec, cfg, stats) {
    this.index = index; // the client's number in the whole run (not in this worker)
    this.userId = spec.user_id ?? null;
    this.cookie = spec.cookie ?? null;
    this.url = spec.url || cfg.url;
    this.cfg = cfg;
    this.stats = stats;
    this.last = null; // null until the join ack: events meanwhile are buffered (rule 1)
    this.joinSeq = null;
    this.buffer = [];
    this.received = new Set(); // seq numbers delivered by broadcast
    this.filling = false;
    this.questions = new Map(); // app: id -> votes (visible questions)
    this.firstSeen = new Map(); // app: question id -> receipt time; bare: ref -> receipt time
    this.voteSeen = new Map(); // app: question id -> [[count, time], ...] as counts rose
    this.poll = null; // poll scenario: the open poll's results as last received
    this.pollSeen = []; // poll scenario: [[changes announced, time], ...] as they rose
  }

  connect() {
    const headers = { Origin: this.cfg.origin || this.url };
    if (this.cookie) headers.Cookie = `session=${this.cookie}`;
    this.started = now();
    this.socket = openSocket(this.cfg, this.url, headers);
    const eventName = this.cfg.target === "app" ? "live:event" : "bench:event";
    this.socket.on(eventName, (event) => this.onEvent(event));
    this.socket.on("disconnect", (reason) => {
      if (!this.stopping) this.stats.disconnects.push(reason);
    });
    return new Promise((resolve) => {
      const timer = setTimeout(() => resolve(false), this.cfg.connectTimeoutMs);
      this.socket.on("connect_error", (err) => {
        this.stats.connectErrors.push(String(err && err.message));
        clearTimeout(timer);
        resolve(false);
      });
      this.socket.on("connect", async () => {
        this.connectedAt = now();
        const ack = await this.join(null);
        clearTimeout(timer);
        if (!ack || !ack.ok) {
          this.stats.joinErrors.push(JSON.stringify(ack && ack.error));
          resolve(false);
          return;
        }
        this.joinedAt = now();
        this.stats.connectMs.push(this.joinedAt - this.started);
        resolve(true);
      });
    });
  }

  async join(lastSeq) {
    const cfg = this.cfg;
    let ack;
    if (cfg.target === "app") {
      const payload = { session_id: cfg.session_id };
      if (lastSeq !== null) payload.last_seq = lastSeq;
      ack = await this.call("live:join", payload);
    } else {
      ack = await this.call("bench:join", {});
    }
    if (ack && ack.ok) this.applyJoin(ack.data);
    return ack;
  }

  call(event, payload) {
    const sent =
      this.cfg.client === "raw"
        ? this.socket.emitWithAck(event, payload, 30000)
        : this.socket.timeout(30000).emitWithAck(event, payload);
    return sent.catch((err) => ({ ok: false, error: { code: "timeout", message: String(err && err.message) } }));
  }

  applyJoin(data) {
    if (data.snapshot) {
      this.questions = new Map();
      const t = now();
      for (const q of data.snapshot.questions) {
        if (q.visible) this.setQuestion(q.id, q.votes, t);
      }
      for (const p of data.snapshot.polls || []) this.setPoll(p, t);
      this.last = data.seq;
    } else if (data.events) {
      if (this.last === null) this.last = data.seq - data.events.length;
      for (const event of data.events) this.apply(event, false);
      this.last = Math.max(this.last, data.seq);
    } else if (this.last === null) {
      this.last = data.seq; // bare server: no state and no log to catch up from
    }
    if (this.joinSeq === null) this.joinSeq = data.seq;
    const buffered = this.buffer.sort((a, b) => a.seq - b.seq);
    this.buffer = [];
    for (const event of buffered) this.accept(event);
  }

  onEvent(event) {
    const t = now();
    if (this.received.has(event.seq)) return; // sent again (a server re-sends a quiet session's last event)
    this.received.add(event.seq);
    if (typeof event.at === "number") this.stats.fanout.push(t - event.at);
    if (this.index === 0) this.stats.eventBytes.push(JSON.stringify(event).length); // one client is enough
    event._t = t;
    if (this.last === null || this.filling) {
      this.buffer.push(event); // rule 1 (and while a gap is being filled)
      return;
    }
    this.accept(event);
  }

  accept(event) {
    if (event.seq <= this.last) return; // rule 3: already in the state
    if (event.seq > this.last + 1 && this.cfg.target === "bare") {
      this.stats.gapFills += 1; // the bare server keeps no log: the missing numbers stay missing
    } else if (event.seq > this.last + 1) {
      this.buffer.push(event); // rule 4: keep it, fill the gap with a join on the same socket
      this.fillGap();
      return;
    }
    this.apply(event, true);
    this.last = event.seq;
  }

  async fillGap() {
    if (this.filling) return;
    this.filling = true;
    this.stats.gapFills += 1;
    await this.join(this.last);
    this.filling = false;
  }

  apply(event, live) {
    const t = live ? event._t : now();
    if (this.cfg.target === "bare") {
      if (event.ref !== null && event.ref !== undefined && !this.firstSeen.has(event.ref)) {
        this.firstSeen.set(event.ref, t);
      }
      return;
    }
    const data = event.data;
    if (event.kind === "questions") {
      for (const q of data.questions) {
        if (q.visible && q.status !== "merged") {
          if (!this.firstSeen.has(q.id)) this.firstSeen.set(q.id, t);
          this.setQuestion(q.id, q.votes, t);
        } else {
          this.questions.delete(q.id);
        }
      }
    } else if (event.kind === "votes") {
      for (const [id, votes] of data.votes) {
        if (this.questions.has(id)) this.setQuestion(id, votes, t);
      }
    } else if (event.kind === "poll") {
      this.setPoll(data.poll, t);
    } else if (event.kind === "poll_results") {
      for (const p of data.polls) this.setPoll(p, t);
    }
  }

  setPoll(p, t) {
    if (p.id !== this.cfg.poll_id) return;
    this.poll = p.results;
    const last = this.pollSeen[this.pollSeen.length - 1];
    if (typeof p.changes === "number" && (!last || last[0] < p.changes)) this.pollSeen.push([p.changes, t]);
  }

  setQuestion(id, votes, t) {
    this.questions.set(id, votes);
    let seen = this.voteSeen.get(id);
    if (!seen) this.voteSeen.set(id, (seen = []));
    if (!seen.length || seen[seen.length - 1][0] < votes) seen.push([votes, t]);
  }

  digest() {
    if (this.cfg.scenario === "poll") return JSON.stringify(this.poll);
    return JSON.stringify([...this.questions.entries()].sort((a, b) => a[0] - b[0]));
  }
}

// --- connecting ----------------------------------------------------------------------------------------

async function connectClosedLoop(clients, concurrency) {
  let next = 0;
  async function worker() {
    while (next < clients.length) {
      const client = clients[next++];
      await client.connect();
    }
  }
  await Promise.all(Array.from({ length: Math.min(concurrency, clients.length) }, worker));
}

// Open loop (the join storm): client k of the run starts at startAt + k * spreadMs / total, whether or not
// earlier clients have joined, as residents arriving at a session do.
function connectOpenLoop(clients, startAt, spreadMs, total) {
  return Promise.all(
    clients.map(
      (client) =>
        new Promise((resolve) => {
          const due = startAt + (client.index * spreadMs) / total;
          setTimeout(() => client.connect().then(resolve), Math.max(0, due - now()));
        }),
    ),
  );
}

// --- the end: what this worker's clients saw, as raw samples ---------------------------------------------

function latencyToRoom(clients, askSent, votesSent, target) {
  const questions = new Samples();
  const votes = new Samples();
  const missing = { questions: 0, votes: 0 };
  for (const client of clients) {
    for (const [key, sent] of askSent) {
      const seen = client.firstSeen.get(key);
      if (seen === undefined) missing.questions += 1;
      else questions.push(seen - sent);
    }
    for (const entry of votesSent) {
      let seen;
      if (target === "bare") seen = client.firstSeen.get(entry[0]);
      else {
        const steps = client.voteSeen.get(entry[0]) || [];
        const step = steps.find(([count]) => count >= entry[1]);
        seen = step && step[1];
      }
      const sent = target === "bare" ? entry[1] : entry[2];
      if (seen === undefined) missing.votes += 1;
      else votes.push(Math.max(0, seen - sent));
    }
  }
  return { questions: questions.values(), votes: votes.values(), missing };
}

function latencyOfAnswers(clients, answersSent) {
  // An answer is on a client once the client holds results announcing at least the change it made
  // (`changes` rises by one per answer stored, in the answer's transaction).
  const answers = new Samples();
  let missing = 0;
  for (const client of clients) {
    for (const [changes, sent] of answersSent) {
      const step = client.pollSeen.find(([announced]) => announced >= changes);
      if (step === undefined) missing += 1;
      else answers.push(Math.max(0, step[1] - sent));
    }
  }
  return { answers: answers.values(), missing };
}

function finish(clients, stats, args) {
  const joined = clients.filter((c) => c.joinedAt);
  const { finalTarget } = args;
  let missed = 0;
  let unrecovered = 0;
  for (const client of joined) {
    for (let seq = client.joinSeq + 1; seq <= (finalTarget ?? client.last); seq += 1) {
      if (!client.received.has(seq)) missed += 1;
    }
    if (finalTarget !== null && client.last < finalTarget) unrecovered += finalTarget - client.last;
  }
  const digests = {};
  for (const client of joined) {
    const d = client.digest();
    digests[d] = (digests[d] || 0) + 1;
  }
  const probe = clients.find((c) => c.index === args.probeIndex);
  let toRoom = null;
  if (args.scenario === "poll") toRoom = latencyOfAnswers(joined, args.answersSent);
  else if (args.scenario !== "agree" && args.scenario !== "storm") {
    toRoom = latencyToRoom(joined, args.askSent, args.votesSent, args.target);
  }
  return {
    missed,
    unrecovered,
    digests,
    probeDigest: probe ? probe.digest() : null,
    probeState: probe ? (args.scenario === "poll" ? probe.poll : Object.fromEntries(probe.questions)) : null,
    received: joined.reduce((sum, c) => sum + c.received.size, 0),
    fanout: stats.fanout.values(),
    connectMs: Float64Array.from(stats.connectMs),
    eventBytes: Float64Array.from(stats.eventBytes),
    toRoom,
    connectErrors: stats.connectErrors,
    joinErrors: stats.joinErrors.slice(0, 3),
    disconnects: stats.disconnects.length,
    gapFills: stats.gapFills,
  };
}

// --- the IPC loop ---------------------------------------------------------------------------------------

function main() {
  let cfg = null;
  let clients = [];
  const byIndex = new Map();
  const stats = {
    connectMs: [],
    fanout: new Samples(1 << 16),
    connectErrors: [],
    joinErrors: [],
    disconnects: [],
    gapFills: 0,
    eventBytes: [],
  };
  const ops = {
    init(args) {
      cfg = args.cfg;
      clients = args.clients.map(([index, spec]) => new Client(index, spec, cfg, stats));
      for (const c of clients) byIndex.set(c.index, c);
      const hardStop = setTimeout(() => process.exit(3), cfg.deadlineMs);
      hardStop.unref();
      return clients.length;
    },
    async connect(args) {
      if (args.spreadMs) await connectOpenLoop(clients, args.startAt, args.spreadMs, args.total);
      else await connectClosedLoop(clients, args.concurrency);
      return clients.map((c) => [c.index, Boolean(c.joinedAt), c.userId, c.cookie !== null]);
    },
    reset() {
      stats.fanout.clear();
      stats.eventBytes.length = 0;
      return clients.reduce((sum, c) => sum + c.received.size, 0);
    },
    status(args) {
      const joined = clients.filter((c) => c.joinedAt);
      const behind = args.target === null ? 0 : joined.filter((c) => c.last < args.target).length;
      const probe = byIndex.get(args.probeIndex);
      return { received: joined.reduce((sum, c) => sum + c.received.size, 0), behind, probeLast: probe ? probe.last : null };
    },
    async call(args) {
      const client = byIndex.get(args.index);
      const sent = now();
      const ack = await client.call(args.event, args.payload);
      return { ack, sent, done: now() };
    },
    async probe(args) {
      const client = byIndex.get(args.index);
      const ack = await client.join(client.last);
      return ack && ack.ok ? ack.data.seq : null;
    },
    finish(args) {
      return finish(clients, stats, args);
    },
    stop() {
      for (const client of clients) {
        client.stopping = true;
        if (client.socket) client.socket.disconnect();
      }
      setTimeout(() => process.exit(0), 50);
      return true;
    },
  };
  process.on("message", async (msg) => {
    if (!msg || msg.type !== "req") return;
    try {
      const value = await ops[msg.op](msg.args || {});
      process.send({ type: "res", id: msg.id, value });
    } catch (err) {
      process.send({ type: "res", id: msg.id, error: String((err && err.stack) || err) });
    }
  });
  process.on("disconnect", () => process.exit(0));
}

module.exports = { Client };
if (require.main === module) main();
