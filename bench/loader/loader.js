#!/usr/bin/env node
// Live-session load generator for bench/live_load.py: up to 1,000 socket.io clients in ONE Node process.
//
//   node bench/loader/loader.js CONFIG.json
//
// Why Node: one python-socketio asyncio loader saturates near 500 clients on this kind of machine, while
// one Node socket.io-client process drove 1,000 clients at 55 actions a second on one core.
//
// Two targets, one measuring code:
//   "app"  - Common Ground: clients sign in by cookie, send `live:join`, keep the room's state as
//            docs/realtime.md tells a client author (buffer until the join ack, drop seen numbers, fill gaps
//            with `live:join {last_seq}`); actors send `live:ask` and `live:vote`. With `scenario: "poll"`
//            (bench/poll_load.py) every signed-in client instead answers the session's open poll once
//            (`poll:answer`), at a random moment of the answering window, and keeps the poll's results.
//            With `scenario: "agree"` (bench/agreement_load.py) they vote on a "Where do we agree?" round
//            (`agree:vote`) at `voteRate` a second while its opinion groups recompute.
//   "bare" - bench/bare_server.py: `bench:join`, and each action is one `bench:act` that the server
//            broadcasts as one `bench:event` to the room.
// Both envelopes carry `seq` (numbered per room) and `at` (server clock, ms since the epoch, at publish).
//
// Bounded: at most 1,000 clients, 127.0.0.1 only, a fixed action window, a drain timeout and a hard
// deadline after which the process exits whatever happens. Progress lines go to stderr; stdout gets
// "PHASE <name> <epoch ms>" lines (the orchestrator samples server CPU and memory at them) and, last,
// one line "RESULT <json>".
"use strict";

const fs = require("fs");
const { io } = require("socket.io-client");

const MAX_CLIENTS = 1000;
const now = () => performance.timeOrigin + performance.now(); // epoch ms with sub-ms resolution

function fail(message) {
  process.stderr.write(`loader: ${message}\n`);
  process.exit(2);
}

function loadConfig(path) {
  const cfg = JSON.parse(fs.readFileSync(path, "utf8"));
  const url = new URL(cfg.url);
  if (url.hostname !== "127.0.0.1") fail("only 127.0.0.1 is allowed as a target");
  if (!["app", "bare"].includes(cfg.target)) fail("target must be app or bare");
  if (!Array.isArray(cfg.clients) || cfg.clients.length < 1 || cfg.clients.length > MAX_CLIENTS) {
    fail(`clients must be a list of 1 to ${MAX_CLIENTS}`);
  }
  return {
    askRate: 2,
    voteRate: 10,
    seconds: 20,
    connectConcurrency: 50,
    connectTimeoutMs: 60000,
    drainMs: 15000,
    quietMs: 1500,
    deadlineMs: 300000,
    questions: [],
    scenario: "questions",
    ...cfg,
  };
}

function percentile(sorted, p) {
  if (!sorted.length) return null;
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];
}

function summary(samples) {
  const sorted = Float64Array.from(samples).sort();
  const r = (x) => (x === null ? null : Math.round(x * 10) / 10);
  return {
    n: sorted.length,
    p50: r(percentile(sorted, 0.5)),
    p95: r(percentile(sorted, 0.95)),
    p99: r(percentile(sorted, 0.99)),
    max: r(sorted.length ? sorted[sorted.length - 1] : null),
  };
}

function phase(name) {
  process.stdout.write(`PHASE ${name} ${Date.now()}\n`);
}

// --- one client: the room state, kept by the sequence rules -----------------------------------------

class Client {
  constructor(index, spec, cfg, stats) {
    this.index = index;
    this.userId = spec.user_id ?? null;
    this.cookie = spec.cookie ?? null;
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
    const headers = { Origin: this.cfg.origin || this.cfg.url };
    if (this.cookie) headers.Cookie = `session=${this.cookie}`;
    this.started = now();
    this.socket = io(this.cfg.url, {
      transports: ["websocket"],
      reconnection: false,
      forceNew: true,
      timeout: 20000,
      extraHeaders: headers,
    });
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
    return this.socket.timeout(30000).emitWithAck(event, payload).catch((err) => ({
      ok: false,
      error: { code: "timeout", message: String(err && err.message) },
    }));
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

// --- actors --------------------------------------------------------------------------------------

const WORDS = (
  "rent housing bus route library repairs council tax school places river flood defence park lighting " +
  "cycle lane parking permit recycling bins planning consent clinic hours youth club market stalls " +
  "bridge footpath grit winter heating grants tram depot allotments swimming pool noise curfew"
).split(" ");

function questionBody(n, rng) {
  const words = [];
  for (let i = 0; i < 14; i += 1) words.push(WORDS[Math.floor(rng() * WORDS.length)]);
  return `Load test question ${n}: what will the council do about ${words.join(" ")}?`;
}

function mulberry32(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

class Actors {
  constructor(clients, cfg, stats) {
    this.clients = clients.filter((c) => c.joinedAt);
    this.cfg = cfg;
    this.stats = stats;
    this.rng = mulberry32(7);
    this.askers = this.clients.filter((c) => cfg.target === "bare" || (c.cookie && cfg.askers.includes(c.userId)));
    this.voters = this.clients.filter((c) => cfg.target === "bare" || c.cookie);
    this.nextAsker = 0;
    this.asked = 0;
    this.voted = 0;
    this.author = new Map(cfg.questions.map((q) => [q.id, q.author_id])); // app: question id -> author
    this.votedPairs = new Set();
    this.askSent = new Map(); // app: question id -> send time; bare: ref -> send time
    this.votesSent = []; // app: [question id, count after, send time]; bare: [ref, send time]
    this.pending = new Set();
  }

  track(promise) {
    this.pending.add(promise);
    promise.finally(() => this.pending.delete(promise));
  }

  count(kind, ack) {
    const bucket = (this.stats.actions[kind] ??= { sent: 0, acked: 0, refused: {} });
    bucket.sent += 1;
    if (ack && ack.ok) bucket.acked += 1;
    else {
      const code = (ack && ack.error && ack.error.code) || "no_ack";
      bucket.refused[code] = (bucket.refused[code] || 0) + 1;
      if (this.stats.refusalSamples.length < 10) this.stats.refusalSamples.push({ kind, error: ack && ack.error });
    }
  }

  ask() {
    if (!this.askers.length) return;
    const client = this.askers[this.nextAsker++ % this.askers.length];
    const n = ++this.asked;
    const sent = now();
    if (this.cfg.target === "bare") {
      const ref = `a${n}`;
      this.askSent.set(ref, sent);
      this.track(client.call("bench:act", { kind: "ask", ref }).then((ack) => this.count("ask", ack)));
      return;
    }
    const body = questionBody(n, this.rng);
    const payload = { session_id: this.cfg.session_id, body, key: `bench-${this.cfg.run}-${n}` };
    this.track(
      client.call("live:ask", payload).then((ack) => {
        this.count("ask", ack);
        if (ack.ok && ack.data.question.visible) {
          this.author.set(ack.data.question.id, client.userId);
          this.askSent.set(ack.data.question.id, sent);
        }
      }),
    );
  }

  vote() {
    const n = ++this.voted;
    if (this.cfg.target === "bare") {
      const client = this.voters[Math.floor(this.rng() * this.voters.length)];
      const ref = `v${n}`;
      const sent = now();
      this.votesSent.push([ref, sent]);
      this.track(client.call("bench:act", { kind: "vote", ref }).then((ack) => this.count("vote", ack)));
      return;
    }
    const ids = [...this.author.keys()];
    for (let attempt = 0; attempt < 50 && ids.length; attempt += 1) {
      const qid = ids[Math.floor(this.rng() * ids.length)];
      const client = this.voters[Math.floor(this.rng() * this.voters.length)];
      const pair = `${client.userId}:${qid}`;
      if (client.userId === this.author.get(qid) || this.votedPairs.has(pair)) continue;
      this.votedPairs.add(pair);
      const sent = now();
      this.track(
        client.call("live:vote", { question_id: qid }).then((ack) => {
          this.count("vote", ack);
          if (ack.ok) this.votesSent.push([qid, ack.data.votes, sent]);
        }),
      );
      return;
    }
    this.stats.votesSkipped += 1;
  }

  run() {
    const { askRate, voteRate, seconds } = this.cfg;
    const start = now();
    const end = start + seconds * 1000;
    let asks = 0;
    let votes = 0;
    return new Promise((resolve) => {
      const tick = () => {
        const t = Math.min(now(), end);
        const elapsed = (t - start) / 1000;
        while (asks < Math.floor(elapsed * askRate)) {
          asks += 1;
          this.ask();
        }
        while (votes < Math.floor(elapsed * voteRate)) {
          votes += 1;
          this.vote();
        }
        if (now() >= end) {
          clearInterval(timer);
          resolve();
        }
      };
      const timer = setInterval(tick, 5);
    });
  }
}

// Every signed-in client answers the open poll once, at a random moment of the window (a room answering
// a poll the host has just opened), choosing an option at random.
class PollActors {
  constructor(clients, cfg, stats) {
    this.clients = clients.filter((c) => c.joinedAt && c.cookie);
    this.cfg = cfg;
    this.stats = stats;
    this.rng = mulberry32(11);
    this.answersSent = []; // [changes the answer made, send time]
    this.pending = new Set();
  }

  track(promise) {
    this.pending.add(promise);
    promise.finally(() => this.pending.delete(promise));
  }

  answer(client) {
    const options = this.cfg.poll_options;
    const choice = options[Math.floor(this.rng() * options.length)];
    const sent = now();
    this.track(
      client.call("poll:answer", { poll_id: this.cfg.poll_id, choices: [choice] }).then((ack) => {
        Actors.prototype.count.call(this, "answer", ack);
        if (ack.ok) this.answersSent.push([ack.data.change, sent]);
      }),
    );
  }

  run() {
    const span = this.cfg.seconds * 1000;
    const start = now();
    const due = this.clients.map((c) => [start + this.rng() * span, c]).sort((a, b) => a[0] - b[0]);
    let next = 0;
    return new Promise((resolve) => {
      const timer = setInterval(() => {
        const t = now();
        while (next < due.length && due[next][0] <= t) this.answer(due[next++][1]);
        if (next >= due.length && t >= start + span) {
          clearInterval(timer);
          resolve();
        }
      }, 5);
    });
  }
}

// Signed-in clients vote on a "Where do we agree?" round (`agree:vote`), `voteRate` votes a second across
// the room (open loop: sent on schedule whether or not earlier votes were acked), each vote by a client
// chosen at random on a statement chosen at random (a repeat changes the vote). Latency: send to ack,
// with the round's opinion groups recomputing in the background meanwhile (bench/agreement_load.py).
class AgreeActors {
  constructor(clients, cfg, stats) {
    this.clients = clients.filter((c) => c.joinedAt && c.cookie);
    this.cfg = cfg;
    this.stats = stats;
    this.rng = mulberry32(13);
    this.latencies = [];
    this.pending = new Set();
  }

  track(promise) {
    this.pending.add(promise);
    promise.finally(() => this.pending.delete(promise));
  }

  vote() {
    const ids = this.cfg.statements;
    const client = this.clients[Math.floor(this.rng() * this.clients.length)];
    const statement = ids[Math.floor(this.rng() * ids.length)];
    const choice = ["agree", "disagree", "pass"][Math.floor(this.rng() * 3)];
    const sent = now();
    const payload = { round_id: this.cfg.round_id, statement_id: statement, choice };
    this.track(
      client.call("agree:vote", payload).then((ack) => {
        Actors.prototype.count.call(this, "vote", ack);
        if (ack && ack.ok) this.latencies.push(now() - sent);
      }),
    );
  }

  run() {
    const { voteRate, seconds } = this.cfg;
    const start = now();
    const end = start + seconds * 1000;
    let votes = 0;
    return new Promise((resolve) => {
      const timer = setInterval(() => {
        const elapsed = (Math.min(now(), end) - start) / 1000;
        while (votes < Math.floor(elapsed * voteRate)) {
          votes += 1;
          this.vote();
        }
        if (now() >= end) {
          clearInterval(timer);
          resolve();
        }
      }, 5);
    });
  }
}

function latencyOfAnswers(clients, actors) {
  // An answer is on a client once the client holds results announcing at least the change it made
  // (`changes` rises by one per answer stored, in the answer's transaction).
  const samples = [];
  let missing = 0;
  for (const client of clients) {
    if (!client.joinedAt) continue;
    for (const [changes, sent] of actors.answersSent) {
      const step = client.pollSeen.find(([announced]) => announced >= changes);
      if (step === undefined) missing += 1;
      else samples.push(Math.max(0, step[1] - sent));
    }
  }
  return { answers: summary(samples), missing };
}

// --- the run --------------------------------------------------------------------------------------

async function connectAll(clients, concurrency) {
  let next = 0;
  async function worker() {
    while (next < clients.length) {
      const client = clients[next++];
      await client.connect();
    }
  }
  await Promise.all(Array.from({ length: Math.min(concurrency, clients.length) }, worker));
}

function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

async function finalSeq(probe) {
  const ack = await probe.join(probe.last);
  if (!ack || !ack.ok) return null;
  return ack.data.seq;
}

async function drain(clients, probe, cfg) {
  // Wait until no event has arrived for quietMs (votes are flushed every LIVE_FLUSH_MS), then ask the
  // server for its current number and wait until every client has it: any client short of it lost messages.
  const deadline = now() + cfg.drainMs;
  let lastCount = -1;
  let stableSince = now();
  while (now() < deadline) {
    const total = clients.reduce((sum, c) => sum + c.received.size, 0);
    if (total !== lastCount) {
      lastCount = total;
      stableSince = now();
    } else if (now() - stableSince >= cfg.quietMs) break;
    await sleep(100);
  }
  const target = await finalSeq(probe);
  while (target !== null && now() < deadline && clients.some((c) => c.joinedAt && c.last < target)) {
    await sleep(100);
  }
  return target;
}

function latencyToRoom(clients, actors, target) {
  // Action sent -> a client has it in its state, for every (action, client) pair; votes are coalesced,
  // so their figure includes the LIVE_FLUSH_MS window.
  const questions = [];
  const votes = [];
  const missing = { questions: 0, votes: 0 };
  for (const client of clients) {
    if (!client.joinedAt) continue;
    for (const [key, sent] of actors.askSent) {
      const seen = client.firstSeen.get(key);
      if (seen === undefined) missing.questions += 1;
      else questions.push(seen - sent);
    }
    for (const entry of actors.votesSent) {
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
  return { questions: summary(questions), votes: summary(votes), missing };
}

async function main() {
  const cfg = loadConfig(process.argv[2] || fail("usage: loader.js CONFIG.json"));
  const hardStop = setTimeout(() => {
    process.stderr.write("loader: hard deadline reached, exiting\n");
    process.exit(3);
  }, cfg.deadlineMs);
  hardStop.unref();
  const stats = {
    connectMs: [],
    fanout: [],
    connectErrors: [],
    joinErrors: [],
    disconnects: [],
    refusalSamples: [],
    actions: {},
    gapFills: 0,
    votesSkipped: 0,
    eventBytes: [],
  };
  const clients = cfg.clients.map((spec, i) => new Client(i, spec, cfg, stats));
  phase("connecting");
  const t0 = now();
  await connectAll(clients, cfg.connectConcurrency);
  const joined = clients.filter((c) => c.joinedAt);
  process.stderr.write(`loader: ${joined.length}/${clients.length} joined in ${((now() - t0) / 1000).toFixed(1)} s\n`);
  if (!joined.length) fail(`no client joined: ${stats.connectErrors.slice(0, 3).join("; ")} ${stats.joinErrors[0]}`);
  await sleep(1500); // let the join presence flushes settle before the window
  stats.fanout.length = 0; // only the action window's deliveries count for fan-out latency
  stats.eventBytes.length = 0;
  phase("actions");
  const poll = cfg.scenario === "poll";
  const receivedBefore = clients.reduce((sum, c) => sum + c.received.size, 0);
  const seqBefore = joined[0].last;
  const agree = cfg.scenario === "agree";
  const actors = poll
    ? new PollActors(clients, cfg, stats)
    : agree
      ? new AgreeActors(clients, cfg, stats)
      : new Actors(clients, cfg, stats);
  const windowStart = now();
  await actors.run();
  const windowEnd = now();
  await Promise.race([Promise.all([...actors.pending]), sleep(cfg.drainMs)]);
  phase("actions_done");
  const probe = joined[0];
  const finalTarget = await drain(joined, probe, cfg);
  phase("drained");

  let missed = 0;
  let unrecovered = 0;
  for (const client of joined) {
    for (let seq = client.joinSeq + 1; seq <= (finalTarget ?? client.last); seq += 1) {
      if (!client.received.has(seq)) missed += 1;
    }
    if (finalTarget !== null && client.last < finalTarget) unrecovered += finalTarget - client.last;
  }
  const digests = new Map();
  for (const client of joined) {
    const d = client.digest();
    digests.set(d, (digests.get(d) || 0) + 1);
  }
  const reference = probe.digest();
  const delivered = joined.reduce((sum, c) => sum + c.received.size, 0) - receivedBefore;
  const result = {
    target: cfg.target,
    clients: clients.length,
    joined: joined.length,
    connect_ms: summary(stats.connectMs),
    fanout_ms: summary(stats.fanout),
    event_bytes: summary(stats.eventBytes),
    to_room_ms: poll
      ? latencyOfAnswers(joined, actors)
      : agree
        ? { votes: summary(actors.latencies) }
        : latencyToRoom(joined, actors, cfg.target),
    events_numbered: finalTarget === null ? null : finalTarget - seqBefore,
    messages_delivered: delivered,
    window_s: (windowEnd - windowStart) / 1000,
    actions: stats.actions,
    votes_skipped: stats.votesSkipped,
    refusal_samples: stats.refusalSamples,
    final_seq: finalTarget,
    missed_broadcasts: missed,
    unrecovered,
    gap_fills: stats.gapFills,
    connect_errors: stats.connectErrors.length,
    join_errors: stats.joinErrors.slice(0, 3),
    disconnects: stats.disconnects.length,
    clients_differing_from_reference: joined.length - (digests.get(reference) || 0),
    state: poll ? probe.poll : cfg.target === "app" ? Object.fromEntries(probe.questions) : null,
  };
  for (const client of clients) {
    client.stopping = true;
    if (client.socket) client.socket.disconnect();
  }
  process.stdout.write(`RESULT ${JSON.stringify(result)}\n`);
  process.exit(0);
}

main().catch((err) => {
  process.stderr.write(`loader: ${err && err.stack}\n`);
  process.exit(1);
});
