#!/usr/bin/env node
// Live-session load generator for bench/live_load.py: up to 1,000 socket.io clients, split across worker
// processes so that the loader is never the bottleneck.
//
//   node bench/loader/loader.js CONFIG.json
//
// This process is the coordinator: it forks `workers` processes (bench/loader/worker.js, IPC), gives each
// an even share of the clients (client k to worker k mod workers), and runs the phases in step: all
// connect, then all act (the actors below live here and send each action through the worker holding the
// client chosen), then drain. At the end it merges the workers' RAW samples (epoch ms are comparable
// across processes on one machine) and prints the same PHASE/RESULT protocol as before.
//
// `client`: "raw" (default; bench/loader/raw_client.js, a minimal Engine.IO 4 / Socket.IO 5 websocket
// client on `ws`) or "socket.io-client" (4.8.3). One socket.io-client process saturated a core at 1,000
// clients receiving ~55,000 messages a second (its emitter layers, parser and GC: see bench/README.md).
//
// Targets, one measuring code:
//   "app"  - Common Ground: clients sign in by cookie, send `live:join`, keep the room's state as
//            docs/realtime.md tells a client author (buffer until the join ack, drop seen numbers, fill gaps
//            with `live:join {last_seq}`); actors send `live:ask` and `live:vote`. With `scenario: "poll"`
//            (bench/poll_load.py) every signed-in client instead answers the session's open poll once
//            (`poll:answer`), at a random moment of the answering window, and keeps the poll's results.
//            With `scenario: "agree"` (bench/agreement_load.py) they vote on a "Where do we agree?" round
//            (`agree:vote`) at `voteRate` a second while its opinion groups recompute.
//   "bare" - bench/bare_server.py or bench/loader/bare_server.js: `bench:join`, and each action is one
//            `bench:act` that the server broadcasts as one `bench:event` to the room.
// Both envelopes carry `seq` (numbered per room) and `at` (server clock, ms since the epoch, at publish).
// `scenario: "storm"`: no actions; clients start connecting at an even rate over `stormSeconds` (open
// loop), the join storm of a session's start. A client spec may carry its own `url` (several servers).
//
// Bounded: at most 1,000 clients, 127.0.0.1 only, a fixed action window, a drain timeout and a hard
// deadline after which every process exits whatever happens. Progress lines go to stderr; stdout gets
// "WORKERS <pid> ..." (the orchestrator samples their CPU), "PHASE <name> <epoch ms>" lines (it samples
// the server's CPU and memory at them) and, last, one line "RESULT <json>".
"use strict";

const fs = require("fs");
const path = require("path");
const { fork } = require("child_process");
const { now, summary, sleep, mulberry32 } = require("./common");

const MAX_CLIENTS = 1000;

function fail(message) {
  process.stderr.write(`loader: ${message}\n`);
  process.exit(2);
}

function checkUrl(raw) {
  const url = new URL(raw);
  if (url.hostname !== "127.0.0.1") fail("only 127.0.0.1 is allowed as a target");
}

function loadConfig(file) {
  const cfg = JSON.parse(fs.readFileSync(file, "utf8"));
  checkUrl(cfg.url);
  if (!["app", "bare"].includes(cfg.target)) fail("target must be app or bare");
  if (!Array.isArray(cfg.clients) || cfg.clients.length < 1 || cfg.clients.length > MAX_CLIENTS) {
    fail(`clients must be a list of 1 to ${MAX_CLIENTS}`);
  }
  for (const spec of cfg.clients) if (spec.url) checkUrl(spec.url);
  const merged = {
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
    client: "raw",
    workers: 2,
    stormSeconds: 10,
    ...cfg,
  };
  if (!["raw", "socket.io-client"].includes(merged.client)) fail("client must be raw or socket.io-client");
  merged.workers = Math.max(1, Math.min(8, Math.floor(merged.workers), merged.clients.length));
  return merged;
}

function phase(name) {
  process.stdout.write(`PHASE ${name} ${Date.now()}\n`);
}

// --- workers -----------------------------------------------------------------------------------------

class Worker {
  constructor(n) {
    this.n = n;
    this.proc = fork(path.join(__dirname, "worker.js"), [], { serialization: "advanced", stdio: ["ignore", "ignore", "inherit", "ipc"] });
    this.pending = new Map();
    this.nextId = 0;
    this.proc.on("message", (msg) => {
      const waiting = this.pending.get(msg.id);
      if (!waiting) return;
      this.pending.delete(msg.id);
      if (msg.error) waiting.reject(new Error(`worker ${n}: ${msg.error}`));
      else waiting.resolve(msg.value);
    });
    this.proc.on("exit", (code) => {
      for (const waiting of this.pending.values()) waiting.reject(new Error(`worker ${n} exited with ${code}`));
      this.pending.clear();
    });
  }

  ask(op, args) {
    return new Promise((resolve, reject) => {
      const id = this.nextId++;
      this.pending.set(id, { resolve, reject });
      this.proc.send({ type: "req", id, op, args });
    });
  }
}

// What the actors hold for a client that lives in a worker: `call` resolves to {ack, sent, done}, the
// times taken in the worker just before the emit and when the ack arrived.
class RemoteClient {
  constructor(worker, index, joined, userId, signedIn) {
    this.worker = worker;
    this.index = index;
    this.joinedAt = joined;
    this.userId = userId;
    this.cookie = signedIn;
  }

  call(event, payload) {
    return this.worker.ask("call", { index: this.index, event, payload }).catch((err) => ({
      ack: { ok: false, error: { code: "worker", message: String(err && err.message) } },
      sent: now(),
      done: now(),
    }));
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
    if (this.cfg.target === "bare") {
      const ref = `a${n}`;
      this.track(
        client.call("bench:act", { kind: "ask", ref }).then(({ ack, sent }) => {
          this.askSent.set(ref, sent);
          this.count("ask", ack);
        }),
      );
      return;
    }
    const body = questionBody(n, this.rng);
    const payload = { session_id: this.cfg.session_id, body, key: `bench-${this.cfg.run}-${n}` };
    this.track(
      client.call("live:ask", payload).then(({ ack, sent }) => {
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
      this.track(
        client.call("bench:act", { kind: "vote", ref }).then(({ ack, sent }) => {
          this.votesSent.push([ref, sent]);
          this.count("vote", ack);
        }),
      );
      return;
    }
    const ids = [...this.author.keys()];
    for (let attempt = 0; attempt < 50 && ids.length; attempt += 1) {
      const qid = ids[Math.floor(this.rng() * ids.length)];
      const client = this.voters[Math.floor(this.rng() * this.voters.length)];
      const pair = `${client.userId}:${qid}`;
      if (client.userId === this.author.get(qid) || this.votedPairs.has(pair)) continue;
      this.votedPairs.add(pair);
      this.track(
        client.call("live:vote", { question_id: qid }).then(({ ack, sent }) => {
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
    this.track(
      client.call("poll:answer", { poll_id: this.cfg.poll_id, choices: [choice] }).then(({ ack, sent }) => {
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
    const payload = { round_id: this.cfg.round_id, statement_id: statement, choice };
    this.track(
      client.call("agree:vote", payload).then(({ ack, sent, done }) => {
        Actors.prototype.count.call(this, "vote", ack);
        if (ack && ack.ok) this.latencies.push(done - sent);
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

// --- the run --------------------------------------------------------------------------------------

async function status(workers, target, probeIndex) {
  const all = await Promise.all(workers.map((w) => w.ask("status", { target, probeIndex })));
  return {
    received: all.reduce((sum, s) => sum + s.received, 0),
    behind: all.reduce((sum, s) => sum + s.behind, 0),
    probeLast: all.map((s) => s.probeLast).find((x) => x !== null) ?? null,
  };
}

async function drain(workers, probe, cfg) {
  // Wait until no event has arrived for quietMs (votes are flushed every LIVE_FLUSH_MS), then ask the
  // server for its current number and wait until every client has it: any client short of it lost messages.
  const deadline = now() + cfg.drainMs;
  let lastCount = -1;
  let stableSince = now();
  while (now() < deadline) {
    const { received } = await status(workers, null, probe.index);
    if (received !== lastCount) {
      lastCount = received;
      stableSince = now();
    } else if (now() - stableSince >= cfg.quietMs) break;
    await sleep(100);
  }
  const target = await probe.worker.ask("probe", { index: probe.index });
  while (target !== null && now() < deadline && (await status(workers, target, probe.index)).behind > 0) {
    await sleep(100);
  }
  return target;
}

function concat(arrays) {
  const out = new Float64Array(arrays.reduce((sum, a) => sum + a.length, 0));
  let at = 0;
  for (const a of arrays) {
    out.set(a, at);
    at += a.length;
  }
  return out;
}

function mergeToRoom(parts, scenario, actors) {
  if (scenario === "agree") return { votes: summary(actors.latencies) };
  if (scenario === "storm") return null;
  if (scenario === "poll") {
    return { answers: summary(concat(parts.map((p) => p.answers))), missing: parts.reduce((s, p) => s + p.missing, 0) };
  }
  return {
    questions: summary(concat(parts.map((p) => p.questions))),
    votes: summary(concat(parts.map((p) => p.votes))),
    missing: {
      questions: parts.reduce((s, p) => s + p.missing.questions, 0),
      votes: parts.reduce((s, p) => s + p.missing.votes, 0),
    },
  };
}

async function connectAll(workers, cfg) {
  const storm = cfg.scenario === "storm";
  const args = storm
    ? { startAt: now() + 200, spreadMs: cfg.stormSeconds * 1000, total: cfg.clients.length }
    : { concurrency: Math.max(1, Math.ceil(cfg.connectConcurrency / workers.length)) };
  const lists = await Promise.all(workers.map((w) => w.ask("connect", args)));
  const clients = [];
  lists.forEach((list, n) => {
    for (const [index, joined, userId, signedIn] of list) clients.push(new RemoteClient(workers[n], index, joined, userId, signedIn));
  });
  return clients.sort((a, b) => a.index - b.index);
}

async function main() {
  const cfg = loadConfig(process.argv[2] || fail("usage: loader.js CONFIG.json"));
  const hardStop = setTimeout(() => {
    process.stderr.write("loader: hard deadline reached, exiting\n");
    process.exit(3);
  }, cfg.deadlineMs);
  hardStop.unref();
  const workers = Array.from({ length: cfg.workers }, (_, n) => new Worker(n));
  process.on("exit", () => workers.forEach((w) => w.proc.kill()));
  process.stdout.write(`WORKERS ${workers.map((w) => w.proc.pid).join(" ")}\n`);
  const { clients: specs, ...shared } = cfg;
  await Promise.all(
    workers.map((w, n) =>
      w.ask("init", { cfg: shared, clients: specs.map((spec, k) => [k, spec]).filter(([k]) => k % workers.length === n) }),
    ),
  );
  const stats = { actions: {}, refusalSamples: [], votesSkipped: 0 };
  phase("connecting");
  const t0 = now();
  const clients = await connectAll(workers, cfg);
  phase("joined");
  const joined = clients.filter((c) => c.joinedAt);
  process.stderr.write(
    `loader: ${joined.length}/${clients.length} joined in ${((now() - t0) / 1000).toFixed(1)} s (${cfg.workers} workers, ${cfg.client})\n`,
  );
  if (!joined.length) {
    const parts = await Promise.all(workers.map((w) => w.ask("finish", { finalTarget: null, scenario: "storm" })));
    fail(`no client joined: ${parts.flatMap((p) => p.connectErrors).slice(0, 3).join("; ")} ${parts.flatMap((p) => p.joinErrors)[0]}`);
  }
  const probe = joined[0];
  const storm = cfg.scenario === "storm";
  let actors = null;
  let receivedBefore = 0;
  let seqBefore = null;
  let windowStart = now();
  let windowEnd = windowStart;
  if (!storm) {
    await sleep(1500); // let the join presence flushes settle before the window
    const counts = await Promise.all(workers.map((w) => w.ask("reset"))); // only the window's deliveries count
    receivedBefore = counts.reduce((sum, n) => sum + n, 0);
    seqBefore = (await status(workers, null, probe.index)).probeLast;
    phase("actions");
    const poll = cfg.scenario === "poll";
    const agree = cfg.scenario === "agree";
    actors = poll ? new PollActors(clients, cfg, stats) : agree ? new AgreeActors(clients, cfg, stats) : new Actors(clients, cfg, stats);
    windowStart = now();
    await actors.run();
    windowEnd = now();
    await Promise.race([Promise.all([...actors.pending]), sleep(cfg.drainMs)]);
    phase("actions_done");
  }
  const finalTarget = await drain(workers, probe, cfg);
  phase("drained");

  const parts = await Promise.all(
    workers.map((w) =>
      w.ask("finish", {
        finalTarget,
        probeIndex: probe.index,
        scenario: cfg.scenario,
        target: cfg.target,
        askSent: actors && actors.askSent ? [...actors.askSent] : [],
        votesSent: (actors && actors.votesSent) || [],
        answersSent: (actors && actors.answersSent) || [],
      }),
    ),
  );
  const digests = new Map();
  for (const part of parts) for (const [d, n] of Object.entries(part.digests)) digests.set(d, (digests.get(d) || 0) + n);
  const holder = parts.find((p) => p.probeDigest !== null);
  const delivered = parts.reduce((sum, p) => sum + p.received, 0) - receivedBefore;
  const sumOf = (key) => parts.reduce((sum, p) => sum + p[key], 0);
  const result = {
    target: cfg.target,
    client: cfg.client,
    workers: cfg.workers,
    clients: clients.length,
    joined: joined.length,
    connect_ms: summary(concat(parts.map((p) => p.connectMs))),
    fanout_ms: summary(concat(parts.map((p) => p.fanout))),
    event_bytes: summary(concat(parts.map((p) => p.eventBytes))),
    to_room_ms: mergeToRoom(parts.map((p) => p.toRoom), cfg.scenario, actors),
    events_numbered: finalTarget === null || seqBefore === null ? null : finalTarget - seqBefore,
    messages_delivered: delivered,
    window_s: (windowEnd - windowStart) / 1000,
    actions: stats.actions,
    votes_skipped: stats.votesSkipped,
    refusal_samples: stats.refusalSamples,
    final_seq: finalTarget,
    missed_broadcasts: sumOf("missed"),
    unrecovered: sumOf("unrecovered"),
    gap_fills: sumOf("gapFills"),
    connect_errors: parts.reduce((sum, p) => sum + p.connectErrors.length, 0),
    join_errors: parts.flatMap((p) => p.joinErrors).slice(0, 3),
    disconnects: sumOf("disconnects"),
    clients_differing_from_reference: joined.length - (digests.get(holder.probeDigest) || 0),
    state: cfg.scenario === "poll" || cfg.target === "app" ? holder.probeState : null,
  };
  await Promise.all(workers.map((w) => w.ask("stop").catch(() => null)));
  process.stdout.write(`RESULT ${JSON.stringify(result)}\n`);
  process.exit(0);
}

main().catch((err) => {
  process.stderr.write(`loader: ${err && err.stack}\n`);
  process.exit(1);
});
