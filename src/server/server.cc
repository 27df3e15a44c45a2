#include "server/server.h"

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "acd/acd.h"
#include "api/api.h"
#include "asio/asio.h"
#include "bot/bot.h"
#include "bus/bus.h"
#include "cluster/cluster.h"
#include "helpcenter/helpcenter.h"
#include "http/http.h"
#include "mail_channel/mail_channel.h"
#include "server/readiness.h"
#include "server/transport.h"
#include "sla_runner/sla_runner.h"

namespace sb {
namespace {

// Runs on the acceptor's strand, where a drain closes it.
asio::awaitable<void> accept_loop(tcp::acceptor& acceptor, asio::io_context& io, Shared& sh) {
  for (;;) {
    tcp::socket socket(asio::make_strand(io));
    auto [ec] = co_await acceptor.async_accept(socket, asio::as_tuple(asio::use_awaitable));
    if (ec == asio::error::operation_aborted || !acceptor.is_open()) co_return;
    if (ec) {  // e.g. out of file descriptors: keep serving the others, but do not spin on the
               // still-pending connection (EMFILE left two cores busy in epoll_wait/accept)
      asio::steady_timer pause(io, std::chrono::milliseconds(50));
      co_await pause.async_wait(asio::as_tuple(asio::use_awaitable));
      continue;
    }
    socket.set_option(tcp::no_delay(true), ec);
    auto ex = socket.get_executor();
    auto opening = std::make_unique<Drain::Busy>(sh.drain);
    asio::co_spawn(ex, run_http_session(std::move(socket), sh, std::move(opening)), asio::detached);
  }
}

// Housekeeping on the worker pool: `pass` once now, then every `period`.
asio::awaitable<void> janitor(Shared& sh, std::string what, std::function<void()> pass,
                              std::chrono::steady_clock::duration period) {
  asio::steady_timer timer(co_await asio::this_coro::executor);
  for (;;) {
    co_await offload(sh, [&] {
      try {
        pass();
      } catch (const std::exception& e) {
        log_json({{"level", "error"}, {"msg", what + " failed"}, {"error", e.what()}});
      }
      return 0;
    });
    timer.expires_after(period);
    auto [ec] = co_await timer.async_wait(asio::as_tuple(asio::use_awaitable));
    if (ec) co_return;
  }
}

// This node's name among the others: as given, else host and process id.
std::string node_name(const ServerOptions& o) {
  if (!o.node_id.empty()) return o.node_id;
  char host[256] = {};
  ::gethostname(host, sizeof host - 1);
  return std::string(host) + "-" + std::to_string(::getpid());
}

std::unique_ptr<bus::Bus> make_bus(const ServerOptions& o, const std::string& node) {
  if (o.bus_url.empty()) return bus::make_local_bus();
  bus::NatsOptions nats;
  nats.url = o.bus_url;
  nats.name = node;
  nats.echo = false;  // a node ignores its own rings anyway
  return bus::make_nats_bus(nats);
}

// /readyz: a node cut off from the bus serves stale conversations to its clients.
ServerOptions with_bus_check(ServerOptions o, const std::unique_ptr<bus::Bus>* bus) {
  if (o.bus_url.empty()) return o;
  o.readiness_checks.push_back({"bus", [bus]() -> std::optional<std::string> {
                                  if (*bus && (*bus)->connected()) return std::nullopt;
                                  return "not connected to the bus";
                                }});
  return o;
}

}  // namespace

// The composition root: every service is built here, once, and each handler
// family gets the ones it uses.
struct Server::Impl {
  Impl(Store& store, Env& env, ServerOptions o)
      : options(with_bus_check(std::move(o), &bus)),
        store(store),
        env(env),
        io(options.io_threads),
        visitor_keys(env, options.data_dir, options.visitor_token_lifetime_ms, env.now_ms()),
        abuse(options.limits),
        time_zones(env),
        knowledge(store),
        auth(store, store, visitor_keys, clock),
        audit(store, clock),
        messaging(store, abuse, metrics, clock),
        inboxes(time_zones, store, clock),
        uploads(store, options.data_dir, env),
        bot({store, store, store, knowledge, languages, time_zones, env}),
        shared{Router(auth, metrics,
                      [this](const http::Request& req) { return serve_static(config, req); }),
               asio::thread_pool(static_cast<std::size_t>(options.worker_threads)),
               abuse,
               config,
               uploads.incoming(),
               store,
               env,
               {auth, messaging, store, hub, metrics},
               drain,
               writes},
        fanout(asio::make_strand(shared.workers)),
        node(node_name(options)),
        bus(make_bus(options, node)),
        feed(*bus, store, hub, node,
             {.remote_changes =
                  [this](const ChangeBatch& b) {
                    dispatcher.on_changes(b);
                    sla.on_changes(b);  // the timer of the workspace's leader hears of it
                  },
              .routing_changed =
                  [this](Id ws, std::optional<Id> agent) {
                    dispatcher.peer_routing_changed(ws, agent);
                  },
              .agent_connected = [this](Id ws,
                                        Id agent) { dispatcher.peer_agent_connected(ws, agent); },
              .answer = [this](Id ws, const boost::json::object& request)
                  -> std::optional<boost::json::object> {
                auto a = dispatcher.answer_peer(ws, request);
                if (json_string(a, "code") == "not_leader") return std::nullopt;
                return a;
              },
              .reconnected = [this] { dispatcher.resync(); },
              .sla_changed = [this](Id ws) { sla.changed_elsewhere(ws); },
              .mail_changed = [this](Id ws, Id inbox) { mail.reload_inbox(ws, inbox); }}),
        dispatcher(store, store, store, hub, env,
                   {.tick_ms = options.routing.tick_ms,
                    .reconcile_ms = options.routing.reconcile_ms,
                    .grace_ms = options.routing.grace_ms,
                    .default_handle_ms = options.routing.default_handle_ms,
                    .lease_holder = clustered() ? node : "",
                    .lease_ttl_ms = options.lease_ms}),
        triage(bot, metrics, std::max(1, options.triage_threads)),
        // In a cluster the timers, pollers and sender act only where the
        // workspace's routing lease is (alone, Dispatcher::leads is always true).
        mail({store, store, store, env, options.data_dir,
              std::filesystem::path(options.data_dir) / "files",
              [this](Id ws) { return dispatcher.leads(ws); }, follow_ms(),
              [this](Id ws, Id inbox) {
                if (clustered()) feed.mail_changed(ws, inbox);
              },
              &store, [this] { return config.public_url; }}),
        sla({store, store, store, hub, time_zones, env},
            {.max_sleep_ms = options.sla_max_sleep_ms,
             .leads = [this](Id ws) { return dispatcher.leads(ws); },
             .follow_ms = follow_ms(),
             .changed =
                 [this](Id ws) {
                   if (clustered()) feed.sla_changed(ws);
                 }}),
        readiness(store, options.readiness_checks, drain, writes,
                  {.writer_stuck = std::chrono::milliseconds(options.writer_stuck_ms)}),
        acceptor(asio::make_strand(io)) {
    std::error_code ec;
    config.web_root_real = std::filesystem::weakly_canonical(options.web_root, ec);
    config.data_dir_real = std::filesystem::weakly_canonical(options.data_dir, ec);
    metrics.set_node(options.node_id);
    add_metrics_collectors();
    add_routes(shared.router);
    hub.on_presence = [this](Id ws, Id agent, int sockets) {
      dispatcher.on_presence(ws, agent, sockets);
    };
    join_cluster();
    // Frames are built off the writer thread (it only queues), in commit order (one strand).
    // One hand-off per committed batch to each consumer: the writer's time is commit latency.
    // The feed hands them to the hub (and rings the other nodes of a cluster).
    store.set_change_listener([this](const ChangeBatch& batch) {
      asio::post(fanout, [this, batch] { feed.committed(batch); });
      dispatcher.on_changes(batch);
      triage.on_changes(batch);
      mail.on_changes(batch);
      sla.on_changes(batch);
    });
    tcp::endpoint ep(asio::ip::make_address(options.address), options.port);
    acceptor.open(ep.protocol());
    acceptor.set_option(asio::socket_base::reuse_address(true));
    acceptor.bind(ep);
    acceptor.listen(asio::socket_base::max_listen_connections);
    config.public_url = options.public_url;
    while (!config.public_url.empty() && config.public_url.back() == '/')
      config.public_url.pop_back();
    if (config.public_url.empty())
      config.public_url =
          "http://" + options.address + ":" + std::to_string(acceptor.local_endpoint().port());
    config.metrics_token = options.metrics_token;
    config.trusted_proxies = options.trusted_proxies;
  }

  bool clustered() const { return !options.bus_url.empty(); }
  // A node that gained a lease starts acting within this (a third of the ttl,
  // as often as the dispatcher renews it).
  Millis follow_ms() const { return std::max<Millis>(50, options.lease_ms / 3); }

  // Alone, the feed only orders local frames; nothing is rung or broadcast.
  void join_cluster() {
    if (!clustered()) return;
    hub.on_broadcast = [this](Id ws, const boost::json::object& m) { feed.broadcast(ws, m); };
    hub.on_caught_up = [this](Id ws, Id conv, std::int64_t seq) { feed.caught_up(ws, conv, seq); };
    messaging.on_repeat = [this](const AppendResult& r) { feed.ring(r.conversation); };
    dispatcher.set_peers(
        {.routing_changed = [this](Id ws, std::optional<Id> a) { feed.routing_changed(ws, a); },
         .agent_connected = [this](Id ws, Id agent) { feed.agent_connected(ws, agent); },
         .ask_leader =
             [this](Id ws, const boost::json::object& request) {
               return feed.ask_leader(ws, request, std::chrono::seconds(3));
             }});
    feed.start();
    log_json({{"level", "info"},
              {"msg", "joining the cluster"},
              {"node", node},
              {"bus", options.bus_url}});
  }

  // The bus's state and totals; the workspaces this node routes for.
  std::vector<GaugeFamily> bus_figures() {
    auto c = bus->counters();
    auto f = feed.stats();
    auto one = [](std::string name, std::string help, double v, std::string type = "gauge") {
      return GaugeFamily{std::move(name), std::move(help), {{{}, v}}, std::move(type)};
    };
    std::vector<GaugeFamily> out{
        one("switchboard_bus_connected", "1 while connected to the bus (always, alone).",
            bus->connected() ? 1 : 0),
        one("switchboard_bus_reconnects_total", "Connections to the bus after the first.",
            static_cast<double>(c.reconnects), "counter"),
        one("switchboard_bus_published_total", "Messages handed to the bus.",
            static_cast<double>(c.published), "counter"),
        one("switchboard_bus_received_total", "Messages the bus delivered to this node.",
            static_cast<double>(c.delivered), "counter"),
        one("switchboard_bus_dropped_total",
            "Outgoing messages dropped (buffer full while disconnected).",
            static_cast<double>(c.dropped), "counter"),
        one("switchboard_bus_doorbells_total", "Other nodes' conversation changes handled here.",
            static_cast<double>(f.doorbells), "counter"),
        one("switchboard_bus_catch_ups_total",
            "Conversations re-read from the database after the bus came back.",
            static_cast<double>(f.catch_ups), "counter"),
        one("switchboard_bus_lag_seconds",
            "The last doorbell's time from its commit on another node to its delivery here.",
            f.lag_ms / 1000.0),
        one("switchboard_bus_lag_max_seconds", "The worst doorbell lag so far.",
            f.lag_ms_max / 1000.0)};
    if (clustered()) {
      GaugeFamily leader{"switchboard_routing_leader",
                         "1 for each workspace whose routing lease this node holds.",
                         {}};
      for (Id ws : dispatcher.leading())
        leader.samples.push_back({{{"workspace", std::to_string(ws)}}, 1.0});
      out.push_back(std::move(leader));
    }
    return out;
  }

  // What this node's timers and pollers did: in a cluster only the workspace's
  // leader acts, so the other nodes' stay at zero.
  std::vector<GaugeFamily> worker_figures() {
    auto f = sla.figures();
    return {{"switchboard_sla_actions_total",
             "Escalations and automations the SLA timer took here.",
             {{{}, static_cast<double>(f.taken)}},
             "counter"},
            {"switchboard_sla_actions_refused_total",
             "SLA actions found taken already (a restart, another node).",
             {{{}, static_cast<double>(f.refused)}},
             "counter"},
            {"switchboard_mail_pollers",
             "Mailbox pollers running here.",
             {{{}, static_cast<double>(mail.pollers_running())}}}};
  }

  // Figures read at scrape time: the process's state, and the queues the
  // dispatcher holds (it may be stopping, so they come separately).
  void add_metrics_collectors() {
    metrics.add_collector([this] { return bus_figures(); });
    metrics.add_collector([this] { return worker_figures(); });
    metrics.add_collector([this] {
      auto search = store.search_index_figures();
      return std::vector<GaugeFamily>{
          {"switchboard_db_writes_in_flight",
           "Messages handed to the group-commit writer, not yet committed.",
           {{{}, static_cast<double>(writes.in_flight())}}},
          {"switchboard_search_index_behind",
           "Changes committed and not yet in the full-text index (as of its last pass).",
           {{{}, static_cast<double>(search.behind)}}},
          {"switchboard_search_index_building",
           "1 while the full-text index is built again from the tables.",
           {{{}, search.building ? 1.0 : 0.0}}},
          {"switchboard_draining",
           "1 while the process drains after a stop signal.",
           {{{}, drain.announced() ? 1.0 : 0.0}}}};
    });
    metrics.add_collector([this] {
      auto figures = dispatcher.queue_figures();
      GaugeFamily waiting{"switchboard_queue_waiting",
                          "Conversations waiting for an agent (not yet offered), per inbox.",
                          {}};
      GaugeFamily oldest{"switchboard_queue_oldest_wait_seconds",
                         "How long the longest-waiting conversation has waited, per inbox.",
                         {}};
      GaugeFamily offers{"switchboard_offers_outstanding",
                         "Offers sent to agents and not yet accepted, declined or expired.",
                         {}};
      for (const auto& q : figures.inboxes) {
        std::vector<std::pair<std::string, std::string>> labels{
            {"workspace", std::to_string(q.workspace)}, {"inbox", std::to_string(q.inbox)}};
        waiting.samples.push_back({labels, static_cast<double>(q.waiting)});
        oldest.samples.push_back({labels, static_cast<double>(q.oldest_wait_ms) / 1000.0});
      }
      for (const auto& [ws, n] : figures.offers)
        offers.samples.push_back({{{"workspace", std::to_string(ws)}}, static_cast<double>(n)});
      return std::vector<GaugeFamily>{waiting, oldest, offers};
    });
  }

  Readyz readyz() const {
    auto r = readiness.report();
    if (!options.node_id.empty()) r.body["node"] = options.node_id;
    return {r.ready, std::move(r.body)};
  }

  // SIGTERM: see Server::drain. Runs on the io_context; ends by stopping it.
  asio::awaitable<void> drain_sequence() {
    using namespace std::chrono;
    auto started = steady_clock::now();
    auto deadline = started + milliseconds(options.drain_timeout_ms);
    log_json({{"level", "info"},
              {"msg", "draining"},
              {"timeout_ms", options.drain_timeout_ms},
              {"delay_ms", options.drain_delay_ms}});
    drain.announce();
    asio::steady_timer timer(io);
    if (options.drain_delay_ms > 0) {  // a balancer that polls /readyz sees the 503 first
      timer.expires_at(std::min(deadline, started + milliseconds(options.drain_delay_ms)));
      co_await timer.async_wait(asio::as_tuple(asio::use_awaitable));
    }
    asio::post(acceptor.get_executor(), [this] {
      boost::system::error_code ignored;
      acceptor.close(ignored);
    });
    drain.begin();
    auto remaining = [this] {
      return drain.busy_requests() + drain.open(Drain::Kind::kIdleHttp) +
             drain.open(Drain::Kind::kWebSocket);
    };
    while (remaining() > 0 && steady_clock::now() < deadline) {
      timer.expires_after(milliseconds(20));
      co_await timer.async_wait(asio::as_tuple(asio::use_awaitable));
    }
    auto took = duration_cast<milliseconds>(steady_clock::now() - started).count();
    if (remaining() > 0)
      log_json({{"level", "warn"},
                {"msg", "drain timed out: cutting connections"},
                {"requests", drain.busy_requests()},
                {"websockets", drain.open(Drain::Kind::kWebSocket)},
                {"ms", took}});
    else
      log_json({{"level", "info"}, {"msg", "drained"}, {"ms", took}});
    io.stop();
  }

  void add_routes(Router& r) {
    add_health_routes(r, {.languages = languages,
                          .metrics = metrics,
                          .config = config,
                          .readiness = [this] { return readyz(); },
                          .draining = [this] { return drain.announced(); }});
    add_auth_routes(r, {.auth = auth,
                        .audit = audit,
                        .directory = store,
                        .access = store,
                        .routing = store,
                        .live = dispatcher,
                        .hub = hub,
                        .abuse = abuse,
                        .metrics = metrics,
                        .config = config,
                        .env = env});
    add_widget_routes(r, {.auth = auth,
                          .messaging = messaging,
                          .uploads = uploads,
                          .inboxes = inboxes,
                          .live = dispatcher,
                          .bot = bot,
                          .languages = languages,
                          .visitor_keys = visitor_keys,
                          .abuse = abuse,
                          .conversations = store,
                          .directory = store,
                          .kb = store,
                          .mail = mail,
                          .contacts = store,
                          .time_zones = time_zones,
                          .hub = hub,
                          .env = env});
    add_console_routes(r, {.auth = auth,
                           .audit = audit,
                           .messaging = messaging,
                           .uploads = uploads,
                           .conversations = store,
                           .routing = store});
    add_coach_routes(r, {.auth = auth,
                         .audit = audit,
                         .conversations = store,
                         .coach = store,
                         .env = env,
                         .cache = make_coach_cache()});
    const CannedServices canned{.auth = auth,
                                .audit = audit,
                                .conversations = store,
                                .directory = store,
                                .routing = store,
                                .canned = store,
                                .scripts = store,
                                .uploads = uploads,
                                .time_zones = time_zones,
                                .env = env};
    add_canned_routes(r, canned);
    add_script_routes(r, canned);
    add_report_routes(
        r,
        {.auth = auth, .directory = store, .reports = store, .time_zones = time_zones, .env = env});
    const SurveyServices surveys{.auth = auth,
                                 .audit = audit,
                                 .conversations = store,
                                 .surveys = store,
                                 .time_zones = time_zones,
                                 .env = env};
    add_survey_routes(r, surveys);
    add_survey_form_routes(r, surveys);
    add_complaint_routes(r, {.auth = auth,
                             .audit = audit,
                             .conversations = store,
                             .complaints = store,
                             .hub = hub,
                             .env = env});
    add_admin_routes(r, {.auth = auth,
                         .audit = audit,
                         .directory = store,
                         .access = store,
                         .routing = store,
                         .live = dispatcher,
                         .hub = hub,
                         .abuse = abuse,
                         .time_zones = time_zones,
                         .sla = sla,
                         .config = config,
                         .env = env});
    add_attachment_routes(r, {.auth = auth, .uploads = uploads, .conversations = store});
    add_routing_routes(r, {.auth = auth,
                           .audit = audit,
                           .directory = store,
                           .routing = store,
                           .conversations = store,
                           .live = dispatcher,
                           .hub = hub});
    add_mail_routes(r, {.auth = auth,
                        .audit = audit,
                        .channel = mail,
                        .abuse = abuse,
                        .env = env,
                        .messaging = messaging,
                        .conversations = store,
                        .mail = store});
    add_ticket_routes(r, {.auth = auth,
                          .audit = audit,
                          .conversations = store,
                          .routing = store,
                          .directory = store,
                          .tickets = store,
                          .sla = store,
                          .complaints = store,
                          .env = env});
    add_simulate_routes(r, auth);
    add_sla_routes(r, {.auth = auth,
                       .audit = audit,
                       .sla = sla,
                       .conversations = store,
                       .tickets = store,
                       .env = env});
    add_kb_routes(r, {.auth = auth,
                      .audit = audit,
                      .kb = store,
                      .directory = store,
                      .knowledge = knowledge,
                      .bot = bot,
                      .env = env});
    add_audit_routes(r, {.auth = auth, .audit = audit, .access = store});
    add_two_factor_routes(
        r, {.auth = auth, .audit = audit, .directory = store, .abuse = abuse, .env = env});
    add_token_routes(r, {.auth = auth, .audit = audit, .access = store, .env = env});
    add_workspace_routes(r, {.auth = auth, .audit = audit, .directory = store, .abuse = abuse});
    add_gdpr_routes(
        r, {.auth = auth, .audit = audit, .privacy = store, .uploads = uploads, .env = env});
    add_search_routes(r, {.auth = auth, .search = store});
    add_contact_routes(r, {.auth = auth, .audit = audit, .contacts = store});
    add_help_center_routes(r, {.directory = store,
                               .conversations = store,
                               .kb = store,
                               .knowledge = knowledge,
                               .bot = bot,
                               .abuse = abuse,
                               .config = config,
                               .env = env});
  }

  ServerOptions options;
  Store& store;
  Env& env;  // the clock, random bytes and files
  // Declared before the io_context: connections that were cut still hold their
  // registrations and counts, and let go of them when it destroys them.
  Drain drain;
  WriteWatch writes;
  // Declared before the hub: the hub holds the WebSocket sessions, whose sockets
  // and timers must be destroyed while their io_context still exists.
  asio::io_context io;
  Hub hub;
  Metrics metrics;
  VisitorKeys visitor_keys;
  Abuse abuse;
  ClockFn clock = [&env = env] { return env.now_ms(); };
  ServerConfig config;  // completed once the port is bound
  TimeZones time_zones;
  LanguageDetection languages;
  Knowledge knowledge;
  Authenticator auth;
  AuditLog audit;
  Messaging messaging;
  InboxStatus inboxes;
  Uploads uploads;
  Bot bot;
  Shared shared;
  asio::strand<asio::thread_pool::executor_type> fanout;
  std::string node;               // this node's name among the others
  std::unique_ptr<bus::Bus> bus;  // in-process when alone
  cluster::Feed feed;
  Dispatcher dispatcher;
  Triage triage;
  MailChannel mail;
  SlaService sla;
  Readiness readiness;
  tcp::acceptor acceptor;  // on a strand of its own: a drain closes it from another thread
  std::atomic<bool> drain_started{false};
};

Server::Server(Store& store, Env& env, ServerOptions options) {
  security::init();
  impl_ = std::make_unique<Impl>(store, env, std::move(options));
}

// Once run() has returned: the services that write stop one by one, each
// finishing what it had queued; the store's writer commits what reached it
// when the store is destroyed (app/).
Server::~Server() {
  stop();
  impl_->readiness.stop();
  impl_->triage.stop();  // its last writes still reach the hub and the dispatcher
  impl_->mail.stop();
  impl_->sla.stop();
  impl_->store.set_change_listener(nullptr);
  impl_->feed.stop();  // no more rings from other nodes; publishing still works
  impl_->dispatcher.stop();
  impl_->shared.workers.join();
}

unsigned short Server::port() const {
  return impl_->acceptor.local_endpoint().port();
}

void Server::run() {
  asio::co_spawn(impl_->acceptor.get_executor(),
                 accept_loop(impl_->acceptor, impl_->io, impl_->shared), asio::detached);
  auto& s = *impl_;
  s.readiness.start();
  asio::co_spawn(
      s.io,
      janitor(
          s.shared, "upload sweep", [&s] { s.uploads.sweep(s.clock()); }, std::chrono::minutes(10)),
      asio::detached);
  // Retention (GDPR): once at start, then hourly; each pass is bounded, so a large
  // backlog drains over several passes without holding the writer for long.
  asio::co_spawn(s.io,
                 janitor(
                     s.shared, "retention sweep",
                     [&s] { purge_expired_conversations(s.store, s.uploads, s.clock()); },
                     std::chrono::hours(1)),
                 asio::detached);
  // Follow-up reminders: the index holds only those still to announce, so a pass
  // reads what is due and nothing else; every 5 s keeps "due" close to its minute.
  asio::co_spawn(
      s.io,
      janitor(
          s.shared, "follow-up reminders", [&s] { announce_follow_ups(s.store, s.hub, s.clock()); },
          std::chrono::seconds(5)),
      asio::detached);
  impl_->mail.start();
  impl_->sla.start();
  std::vector<std::thread> threads;
  for (int i = 1; i < impl_->options.io_threads; ++i)
    threads.emplace_back([this] { impl_->io.run(); });
  impl_->io.run();
  for (auto& t : threads) t.join();
}

void Server::drain() {
  if (impl_->drain_started.exchange(true)) return;
  asio::co_spawn(impl_->io, impl_->drain_sequence(), asio::detached);
}

void Server::stop() {
  impl_->io.stop();
}

}  // namespace sb
