// switchboard-load: a load client for the Switchboard server (loopback only).
//
// Opens N visitor WebSockets and M agent WebSockets, sends visitor messages at
// a paced global rate and measures visitor→agent delivery latency, counting lost
// and duplicated messages; or (--idle-only) just holds N idle visitor sockets to
// measure the server's memory per connection. Prints one JSON line on stdout at
// the end; progress goes to stderr once per second. Bounded in time and count:
// a watchdog ends the process if a phase hangs.
//
// Single-threaded on purpose: every piece of state below lives on the one
// io_context thread, so nothing is locked (client and server share the cores).
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket.hpp>
#include <boost/json.hpp>
#include <chrono>
#include <cmath>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <deque>
#include <fstream>
#include <functional>
#include <iostream>
#include <memory>
#include <optional>
#include <random>
#include <sstream>
#include <string>
#include <thread>
#include <unordered_map>
#include <unordered_set>
#include <vector>

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace websocket = beast::websocket;
namespace json = boost::json;
using tcp = asio::ip::tcp;
using asio::as_tuple;
using asio::awaitable;
using asio::use_awaitable;
using Clock = std::chrono::steady_clock;

namespace {

constexpr const char* kUsage =
    R"(switchboard-load — load client for a Switchboard server on loopback

usage: switchboard-load --url http://127.0.0.1:PORT [options]
  --visitors N        visitor WebSockets (default 100)
  --agents M          agent WebSockets (default 2; logins cycle over the demo agents)
  --rate R            visitor messages per second, all visitors together (default 100)
  --duration S        seconds of sending (or of holding, with --idle-only) (default 10)
  --idle-only         only open N visitor sockets and hold them S seconds
  --server-pid PID    read the server's VmRSS from /proc/PID/status
  --inbox KEY         widget inbox key (default demo)
  --agent-email E     agent login (repeatable; default anna@ and marek@demo.switchboard.test)
  --agent-password P  (default demo-agent-pass)
  --no-visitor-subscribe   visitors do not subscribe to their own conversation
  --drain S           wait up to S seconds after sending for deliveries (default 10)
  --setup-concurrency K    parallel REST requests / WebSocket handshakes during setup (default 32)
  --setup-timeout S   give up if setup takes longer (default 600)
  --reconnect         a socket the server closes (its node killed) is opened again
                      through the same address; the visitor resends what was not
                      acknowledged with the same client ids, the agent resubscribes
                      from the last seq it has (latency counts from the first send)
)";

struct Options {
  std::string host = "127.0.0.1";
  unsigned short port = 0;
  int visitors = 100;
  int agents = 2;
  double rate = 100;
  double duration = 10;
  bool idle_only = false;
  int server_pid = 0;
  std::string inbox = "demo";
  std::vector<std::string> agent_emails;
  std::string agent_password = "demo-agent-pass";
  bool visitor_subscribe = true;
  double drain = 10;
  int setup_concurrency = 32;
  double setup_timeout = 600;
  bool reconnect = false;
};

std::int64_t now_ns() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(Clock::now().time_since_epoch())
      .count();
}

long read_rss_kib(int pid) {
  if (pid <= 0) return -1;
  std::ifstream in("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  while (std::getline(in, line))
    if (line.rfind("VmRSS:", 0) == 0) return std::strtol(line.c_str() + 6, nullptr, 10);
  return -1;
}

// The server's CPU time (user + system) in seconds, from /proc/<pid>/stat: how
// much work a message costs, steadier than latency on a shared machine.
double read_cpu_s(int pid) {
  if (pid <= 0) return -1;
  std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
  std::string stat((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  auto close = stat.rfind(')');  // the command name may hold spaces
  if (close == std::string::npos) return -1;
  std::istringstream fields(stat.substr(close + 2));
  std::string f;
  long ticks = 0;
  for (int i = 3; i <= 15 && fields >> f; ++i)
    if (i == 14 || i == 15) ticks += std::strtol(f.c_str(), nullptr, 10);
  return double(ticks) / double(sysconf(_SC_CLK_TCK));
}

// ---------------------------------------------------------------------------
// State (all on the io thread).

struct Msg {
  std::int64_t sent_ns = 0;
  std::int32_t visitor = -1;
  bool acked = false;
  std::uint16_t received = 0;  // times an agent subscriber got it
};

struct WsConn {
  explicit WsConn(asio::io_context& io) : ws(io) {}
  websocket::stream<beast::tcp_stream> ws;
  std::deque<std::string> outq;
  bool writing = false;
  bool open = false;
  bool hello = false;
  bool ready = false;  // pong after the setup frames: subscriptions are live
};

struct Visitor {
  std::string token;
  std::int64_t conversation = 0;
  std::unique_ptr<WsConn> conn;
  std::vector<std::size_t> unacked;  // --reconnect: message numbers to resend
  std::int64_t last_seq = 0;         // --reconnect: resubscribe from here
};

struct Agent {
  std::string email, cookie, csrf;
  std::unique_ptr<WsConn> conn;
  std::vector<std::int64_t> conversations;                  // its share, subscribed
  std::unordered_set<std::uint64_t> seen_seq;               // (conversation, seq)
  std::unordered_map<std::int64_t, std::int64_t> last_seq;  // --reconnect: by conversation
};

struct Stats {
  std::int64_t sent = 0, send_failed = 0, acked = 0, delivered = 0, duplicated = 0, dup_seq = 0;
  std::int64_t conversation_frames = 0, visitor_events = 0, errors = 0, disconnects = 0;
  std::int64_t connect_failed = 0, setup_failed = 0, reconnects = 0, resent = 0;
  std::vector<float> latency_ms;
  std::vector<float> window_ms;  // since the last progress line
};

struct Bench {
  Options opt;
  asio::io_context io{1};
  tcp::endpoint endpoint;
  std::string run_id;  // client ids are "<run_id>-<msg number>"
  std::vector<Visitor> visitors;
  std::vector<Agent> agents;
  std::vector<Msg> msgs;
  std::vector<std::unique_ptr<WsConn>> closed;  // replaced sockets: their coroutines may still run
  std::mt19937 rng{std::random_device{}()};
  Stats st;
  std::string phase = "setup";
  int open_visitors = 0, open_agents = 0;
  std::atomic<bool> done{false};
  Clock::time_point start = Clock::now();
  Clock::time_point setup_deadline = Clock::time_point::max();
} B;

void log_error(const std::string& what) {
  if (++B.st.errors <= 10) std::cerr << "switchboard-load: " << what << "\n";
  if (B.st.errors == 10) std::cerr << "switchboard-load: (further errors only counted)\n";
}

// ---------------------------------------------------------------------------
// Plain HTTP/1.1 keep-alive client for the setup requests.

struct HttpResult {
  unsigned status = 0;
  std::string body;
  std::string set_cookie;
};

class HttpClient {
 public:
  explicit HttpClient(asio::io_context& io) : io_(io) {}

  awaitable<HttpResult> request(http::verb verb, std::string target, std::string body,
                                std::vector<std::pair<std::string, std::string>> headers = {}) {
    for (int attempt = 0; attempt < 3; ++attempt) {
      if (!stream_) {
        stream_ = std::make_unique<beast::tcp_stream>(io_);
        stream_->expires_after(std::chrono::seconds(30));
        auto [ec] = co_await stream_->async_connect(B.endpoint, as_tuple(use_awaitable));
        if (ec) {
          stream_.reset();
          co_await sleep(std::chrono::milliseconds(200));
          continue;
        }
        stream_->socket().set_option(tcp::no_delay(true));
      }
      http::request<http::string_body> req{verb, target, 11};
      req.set(http::field::host, B.opt.host + ":" + std::to_string(B.opt.port));
      req.set(http::field::user_agent, "switchboard-load");
      req.set(http::field::content_type, "application/json");
      for (auto& [k, v] : headers) req.set(k, v);
      req.keep_alive(true);
      req.body() = body;
      req.prepare_payload();
      stream_->expires_after(std::chrono::seconds(30));
      auto [wec, wn] = co_await http::async_write(*stream_, req, as_tuple(use_awaitable));
      http::response<http::string_body> res;
      beast::error_code rec;
      if (!wec)
        std::tie(rec, std::ignore) =
            co_await http::async_read(*stream_, buf_, res, as_tuple(use_awaitable));
      if (wec || rec) {
        stream_.reset();
        buf_.clear();
        continue;
      }
      HttpResult out{res.result_int(), std::move(res.body()),
                     std::string(res[http::field::set_cookie])};
      if (!res.keep_alive()) stream_.reset();
      co_return out;
    }
    co_return HttpResult{};
  }

  template <class D>
  awaitable<void> sleep(D d) {
    asio::steady_timer t(io_, d);
    co_await t.async_wait(as_tuple(use_awaitable));
  }

 private:
  asio::io_context& io_;
  std::unique_ptr<beast::tcp_stream> stream_;
  beast::flat_buffer buf_;
};

template <class D>
awaitable<void> sleep_for(D d) {
  asio::steady_timer t(B.io, d);
  co_await t.async_wait(as_tuple(use_awaitable));
}

// Polls until pred() or the deadline; returns pred().
awaitable<bool> wait_until(std::function<bool()> pred, Clock::time_point deadline) {
  while (!pred() && Clock::now() < deadline) co_await sleep_for(std::chrono::milliseconds(20));
  co_return pred();
}

// Runs job(i) for i in [0, n) with at most k at a time.
awaitable<void> bounded(int n, int k, std::function<awaitable<void>(int)> job) {
  auto next = std::make_shared<int>(0);
  auto running = std::make_shared<int>(0);
  for (int w = 0; w < std::min(n, k); ++w) {
    ++*running;
    asio::co_spawn(
        B.io,
        [next, running, n, job]() -> awaitable<void> {
          while (*next < n) {
            int i = (*next)++;
            co_await job(i);
          }
          --*running;
        },
        asio::detached);
  }
  while (*running > 0) co_await sleep_for(std::chrono::milliseconds(10));
}

std::optional<json::object> parse_object(std::string_view text) {
  boost::system::error_code ec;
  auto v = json::parse(text, ec);
  if (ec || !v.is_object()) return std::nullopt;
  return std::move(v.as_object());
}

std::string str_field(const json::object& o, std::string_view key) {
  auto* v = o.if_contains(key);
  return v && v->is_string() ? std::string(v->as_string()) : std::string();
}

std::int64_t int_field(const json::object& o, std::string_view key) {
  auto* v = o.if_contains(key);
  return v && v->is_int64() ? v->as_int64()
                            : (v && v->is_uint64() ? static_cast<std::int64_t>(v->as_uint64()) : 0);
}

// ---------------------------------------------------------------------------
// WebSocket plumbing.

void ws_send(WsConn& c, std::string frame);

awaitable<void> ws_writer(WsConn* c) {
  while (!c->outq.empty() && c->open) {
    auto frame = std::move(c->outq.front());
    c->outq.pop_front();
    c->ws.text(true);
    auto [ec, n] = co_await c->ws.async_write(asio::buffer(frame), as_tuple(use_awaitable));
    if (ec) {
      c->open = false;
      break;
    }
  }
  c->writing = false;
}

void ws_send(WsConn& c, std::string frame) {
  if (!c.open) return;
  c.outq.push_back(std::move(frame));
  if (!c.writing) {
    c.writing = true;
    asio::co_spawn(B.io, ws_writer(&c), asio::detached);
  }
}

// `quiet`: a failure is counted by the caller (reconnect attempts while a node restarts).
awaitable<bool> ws_connect(WsConn& c, const std::string& target, const std::string& cookie,
                           bool quiet = false) {
  auto& lowest = beast::get_lowest_layer(c.ws);
  lowest.expires_after(std::chrono::seconds(30));
  auto [ec] = co_await lowest.async_connect(B.endpoint, as_tuple(use_awaitable));
  if (ec) {
    if (!quiet) log_error("connect: " + ec.message());
    co_return false;
  }
  lowest.socket().set_option(tcp::no_delay(true));
  lowest.expires_never();
  websocket::stream_base::timeout t{};
  t.handshake_timeout = std::chrono::seconds(10);
  t.idle_timeout =
      std::chrono::seconds(40);  // pings after 20 s of silence: the server drops sockets idle 60 s
  t.keep_alive_pings = true;
  c.ws.set_option(t);
  c.ws.read_message_max(4 * 1024 * 1024);
  c.ws.set_option(websocket::stream_base::decorator([cookie](websocket::request_type& r) {
    r.set(http::field::user_agent, "switchboard-load");
    if (!cookie.empty()) r.set(http::field::cookie, cookie);
  }));
  auto host = B.opt.host + ":" + std::to_string(B.opt.port);
  websocket::response_type res;
  auto [hec] = co_await c.ws.async_handshake(res, host, target, as_tuple(use_awaitable));
  if (hec) {
    if (quiet) co_return false;
    log_error("websocket handshake " + target.substr(0, 40) + ": " + hec.message() + " (HTTP " +
              std::to_string(res.result_int()) + " " + res.body().substr(0, 120) + ")");
    co_return false;
  }
  c.open = true;
  co_return true;
}

awaitable<void> ws_read_loop(WsConn* c, bool agent, std::function<void(std::string_view)> on_frame,
                             std::function<void()> on_close = {}) {
  beast::flat_buffer buf;
  for (;;) {
    auto [ec, n] = co_await c->ws.async_read(buf, as_tuple(use_awaitable));
    if (ec) break;
    auto data = buf.cdata();
    on_frame(std::string_view(static_cast<const char*>(data.data()), data.size()));
    buf.consume(buf.size());
  }
  if (!B.done) {
    ++B.st.disconnects;
    if (B.st.disconnects <= 5)
      std::cerr << "switchboard-load: " << (agent ? "agent" : "visitor") << " socket closed\n";
  }
  c->open = false;
  (agent ? B.open_agents : B.open_visitors)--;
  if (!B.done && on_close) on_close();
}

bool starts_with(std::string_view s, std::string_view p) {
  return s.substr(0, p.size()) == p;
}

// Message numbers are encoded in the client id: "<run_id>-<n>".
std::optional<std::size_t> msg_number(std::string_view client_id) {
  if (!starts_with(client_id, B.run_id) || client_id.size() <= B.run_id.size() + 1)
    return std::nullopt;
  std::size_t n = 0;
  for (char ch : client_id.substr(B.run_id.size() + 1)) {
    if (ch < '0' || ch > '9') return std::nullopt;
    n = n * 10 + static_cast<std::size_t>(ch - '0');
  }
  if (n >= B.msgs.size()) return std::nullopt;
  return n;
}

void on_visitor_frame(Visitor& v, std::string_view text) {
  if (starts_with(text, R"({"type":"ack")")) {
    auto o = parse_object(text);
    if (!o) return;
    if (auto n = msg_number(str_field(*o, "client_id")); n && !B.msgs[*n].acked) {
      B.msgs[*n].acked = true;
      ++B.st.acked;
    }
  } else if (starts_with(text, R"({"type":"event")")) {
    ++B.st.visitor_events;
    if (B.opt.reconnect)
      if (auto o = parse_object(text); o && o->if_contains("event") && (*o)["event"].is_object())
        v.last_seq = std::max(v.last_seq, int_field((*o)["event"].as_object(), "seq"));
  } else if (starts_with(text, R"({"type":"pong")")) {
    v.conn->ready = true;
  } else if (starts_with(text, R"({"type":"hello")")) {
    v.conn->hello = true;
  } else if (starts_with(text, R"({"type":"error")")) {
    log_error("visitor got " + std::string(text.substr(0, 300)));
  }
}

void on_agent_frame(Agent& a, std::string_view text) {
  if (starts_with(text, R"({"type":"conversation")")) {
    ++B.st.conversation_frames;  // list updates for every change in the workspace; not measured
    return;
  }
  std::int64_t recv = now_ns();
  if (starts_with(text, R"({"type":"pong")")) {
    a.conn->ready = true;
    return;
  }
  if (starts_with(text, R"({"type":"hello")")) {
    a.conn->hello = true;
    return;
  }
  auto o = parse_object(text);
  if (!o) return;
  auto type = str_field(*o, "type");
  if (type == "error") {
    log_error("agent got " + std::string(text.substr(0, 300)));
    return;
  }
  if (type != "event") return;
  auto* ev = o->if_contains("event");
  if (!ev || !ev->is_object()) return;
  const auto& e = ev->as_object();
  auto conv = int_field(e, "conversation_id");
  auto seq = int_field(e, "seq");
  if (B.opt.reconnect) a.last_seq[conv] = std::max(a.last_seq[conv], seq);
  if (!a.seen_seq.insert((static_cast<std::uint64_t>(conv) << 24) ^ static_cast<std::uint64_t>(seq))
           .second) {
    ++B.st.dup_seq;
    ++B.st.duplicated;
    return;
  }
  auto n = msg_number(str_field(e, "client_id"));
  if (!n) return;
  auto& m = B.msgs[*n];
  if (++m.received > 1) {
    ++B.st.duplicated;
    return;
  }
  ++B.st.delivered;
  // The body carries the send time (this process's steady clock).
  auto body = str_field(e, "body");
  std::int64_t sent = m.sent_ns;
  if (auto p = body.find("sent_ns="); p != std::string::npos)
    sent = std::strtoll(body.c_str() + p + 8, nullptr, 10);
  float ms = static_cast<float>(recv - sent) / 1e6f;
  B.st.latency_ms.push_back(ms);
  B.st.window_ms.push_back(ms);
}

// ---------------------------------------------------------------------------
// Phases.

std::string percentile_str(std::vector<float>& v, double q) {
  if (v.empty()) return "null";
  auto k = static_cast<std::size_t>(
      std::min<double>(v.size() - 1, std::floor(q * (v.size() - 1) + 0.5)));
  std::nth_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(k), v.end());
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.2f", v[k]);
  return buf;
}

awaitable<void> progress_loop() {
  auto t0 = Clock::now();
  std::int64_t last_sent = 0, last_delivered = 0;
  while (!B.done) {
    co_await sleep_for(std::chrono::seconds(1));
    if (B.done) break;
    double t = std::chrono::duration<double>(Clock::now() - t0).count();
    auto p50 = percentile_str(B.st.window_ms, 0.5), p99 = percentile_str(B.st.window_ms, 0.99);
    B.st.window_ms.clear();
    char line[512];
    std::snprintf(
        line, sizeof line,
        "[%6.1fs] %-8s visitors=%d agents=%d sent=%lld (+%lld) acked=%lld delivered=%lld (+%lld) "
        "p50=%sms p99=%sms errors=%lld disconnects=%lld server_rss=%ldKiB\n",
        t, B.phase.c_str(), B.open_visitors, B.open_agents, static_cast<long long>(B.st.sent),
        static_cast<long long>(B.st.sent - last_sent), static_cast<long long>(B.st.acked),
        static_cast<long long>(B.st.delivered),
        static_cast<long long>(B.st.delivered - last_delivered), p50.c_str(), p99.c_str(),
        static_cast<long long>(B.st.errors), static_cast<long long>(B.st.disconnects),
        read_rss_kib(B.opt.server_pid));
    std::cerr << line << std::flush;
    last_sent = B.st.sent;
    last_delivered = B.st.delivered;
  }
}

awaitable<bool> login_agents(Clock::time_point deadline) {
  auto& o = B.opt;
  if (o.agent_emails.empty())
    o.agent_emails = {"anna@demo.switchboard.test", "marek@demo.switchboard.test"};
  B.agents.resize(static_cast<std::size_t>(o.agents));
  for (int i = 0; i < o.agents; ++i) {
    auto& a = B.agents[static_cast<std::size_t>(i)];
    a.email = o.agent_emails[static_cast<std::size_t>(i) % o.agent_emails.size()];
    HttpClient http(B.io);
    json::object body{{"email", a.email}, {"password", o.agent_password}};
    auto r = co_await http.request(http::verb::post, "/api/v1/auth/login", json::serialize(body));
    auto parsed = parse_object(r.body);
    if (r.status != 200 || !parsed) {
      log_error("login " + a.email + " -> " + std::to_string(r.status) + " " +
                r.body.substr(0, 200));
      co_return false;
    }
    a.csrf = str_field(*parsed, "csrf_token");
    a.cookie = r.set_cookie.substr(0, r.set_cookie.find(';'));
    if (Clock::now() > deadline) co_return false;
  }
  co_return true;
}

awaitable<void> setup_visitors_rest() {
  auto& o = B.opt;
  B.visitors.resize(static_cast<std::size_t>(o.visitors));
  std::vector<std::unique_ptr<HttpClient>> clients;
  for (int i = 0; i < o.setup_concurrency; ++i)
    clients.push_back(std::make_unique<HttpClient>(B.io));
  auto worker_of = std::make_shared<int>(0);
  // One keep-alive connection per worker: job i runs on client (i % k) only while no other job
  // uses it, which `bounded` guarantees by giving each worker its own client below.
  auto next = std::make_shared<int>(0);
  auto running = std::make_shared<int>(0);
  for (auto& c : clients) {
    ++*running;
    asio::co_spawn(
        B.io,
        [next, running, client = c.get()]() -> awaitable<void> {
          auto& o = B.opt;
          while (*next < o.visitors) {
            int i = (*next)++;
            auto& v = B.visitors[static_cast<std::size_t>(i)];
            auto r = co_await client->request(http::verb::post,
                                              "/api/v1/widget/" + o.inbox + "/visitors", "{}");
            auto parsed = parse_object(r.body);
            if ((r.status != 201 && r.status != 200) || !parsed) {
              ++B.st.setup_failed;
              log_error("new visitor -> " + std::to_string(r.status) + " " + r.body.substr(0, 200));
              continue;
            }
            v.token = str_field(*parsed, "visitor_token");
            if (o.idle_only) continue;
            json::object body{{"kind", "chat"},
                              {"inbox_key", o.inbox},
                              {"client_id", B.run_id + "-conv-" + std::to_string(i)},
                              {"name", "Load visitor " + std::to_string(i)},
                              {"topic", "load test"},
                              {"page_url", "http://127.0.0.1/bench"},
                              {"language", "en"}};
            std::vector<std::pair<std::string, std::string>> headers;
            headers.emplace_back("Authorization", "Bearer " + v.token);
            r = co_await client->request(http::verb::post, "/api/v1/widget/conversations",
                                         json::serialize(body), std::move(headers));
            parsed = parse_object(r.body);
            if ((r.status != 201 && r.status != 200) || !parsed) {
              ++B.st.setup_failed;
              log_error("new conversation -> " + std::to_string(r.status) + " " +
                        r.body.substr(0, 200));
              continue;
            }
            v.conversation = int_field(*parsed, "id");
          }
          --*running;
        },
        asio::detached);
  }
  (void)worker_of;
  while (*running > 0) co_await sleep_for(std::chrono::milliseconds(10));
}

awaitable<void> reconnect_agent(int i);
awaitable<void> reconnect_visitor(int i);

// The subscriptions of an agent socket just opened; resubscribing after a
// reconnect asks for what came after the last seq it has.
void subscribe_agent(int i) {
  auto& a = B.agents[static_cast<std::size_t>(i)];
  asio::co_spawn(B.io,
                 ws_read_loop(
                     a.conn.get(), true, [&a](std::string_view t) { on_agent_frame(a, t); },
                     [i] {
                       if (B.opt.reconnect)
                         asio::co_spawn(B.io, reconnect_agent(i), asio::detached);
                     }),
                 asio::detached);
  for (auto conv : a.conversations) {
    auto after = a.last_seq.contains(conv) ? a.last_seq[conv] : 0;
    ws_send(*a.conn, json::serialize(json::object{
                         {"type", "subscribe"}, {"conversation_id", conv}, {"after_seq", after}}));
  }
  ws_send(*a.conn,
          R"({"type":"ping"})");  // frames are handled in order: the pong means all subscribed
}

awaitable<void> connect_agent(int i) {
  auto& a = B.agents[static_cast<std::size_t>(i)];
  a.conn = std::make_unique<WsConn>(B.io);
  if (!co_await ws_connect(*a.conn, "/ws", a.cookie)) {
    ++B.st.connect_failed;
    co_return;
  }
  ++B.open_agents;
  subscribe_agent(i);
}

void send_message(Visitor& v, std::size_t n) {
  const auto& m = B.msgs[n];
  std::string client_id = B.run_id + "-" + std::to_string(n);
  std::string body = "load message " + std::to_string(n) + " sent_ns=" + std::to_string(m.sent_ns);
  ws_send(*v.conn, json::serialize(json::object{{"type", "send"},
                                                {"conversation_id", v.conversation},
                                                {"client_id", client_id},
                                                {"body", body},
                                                {"attachment_ids", json::array{}}}));
}

void subscribe_visitor(int i) {
  auto& v = B.visitors[static_cast<std::size_t>(i)];
  asio::co_spawn(B.io,
                 ws_read_loop(
                     v.conn.get(), false, [&v](std::string_view t) { on_visitor_frame(v, t); },
                     [i] {
                       if (B.opt.reconnect)
                         asio::co_spawn(B.io, reconnect_visitor(i), asio::detached);
                     }),
                 asio::detached);
  if (!B.opt.idle_only && B.opt.visitor_subscribe && v.conversation)
    ws_send(*v.conn, json::serialize(json::object{{"type", "subscribe"},
                                                  {"conversation_id", v.conversation},
                                                  {"after_seq", v.last_seq}}));
  if (!B.opt.idle_only) ws_send(*v.conn, R"({"type":"ping"})");
}

awaitable<void> connect_visitor(int i) {
  auto& v = B.visitors[static_cast<std::size_t>(i)];
  if (v.token.empty()) co_return;
  if (Clock::now() > B.setup_deadline) {
    ++B.st.connect_failed;
    co_return;
  }
  v.conn = std::make_unique<WsConn>(B.io);
  if (!co_await ws_connect(*v.conn, "/ws?visitor_token=" + v.token, "")) {
    ++B.st.connect_failed;
    v.conn.reset();
    co_return;
  }
  ++B.open_visitors;
  subscribe_visitor(i);
}

// --reconnect: opens the socket again (nginx picks a live node), backing off
// while nothing answers; the old socket object stays in B.closed.
awaitable<bool> reopen(std::unique_ptr<WsConn>& conn, const std::string& target,
                       const std::string& cookie) {
  for (int attempt = 1; !B.done; ++attempt) {
    // Backoff with jitter, as the widget does: a node's sockets must not all
    // come back in the same millisecond.
    std::uniform_int_distribution<int> jitter(50, 150);
    co_await sleep_for(
        std::chrono::milliseconds(std::min(1000, 50 * attempt) * jitter(B.rng) / 100));
    if (conn) B.closed.push_back(std::move(conn));
    conn = std::make_unique<WsConn>(B.io);
    if (co_await ws_connect(*conn, target, cookie, true)) {
      ++B.st.reconnects;
      co_return true;
    }
  }
  co_return false;
}

awaitable<void> reconnect_agent(int i) {
  auto& a = B.agents[static_cast<std::size_t>(i)];
  if (!co_await reopen(a.conn, "/ws", a.cookie)) co_return;
  ++B.open_agents;
  subscribe_agent(i);
}

awaitable<void> reconnect_visitor(int i) {
  auto& v = B.visitors[static_cast<std::size_t>(i)];
  if (!co_await reopen(v.conn, "/ws?visitor_token=" + v.token, "")) co_return;
  ++B.open_visitors;
  subscribe_visitor(i);
  // Resent with their client ids: the server answers a message it already has
  // with the same ack and stores nothing twice.
  std::erase_if(v.unacked, [](std::size_t n) { return B.msgs[n].acked; });
  for (auto n : v.unacked) {
    send_message(v, n);
    ++B.st.resent;
  }
}

// The paced scheduler: a 1 ms tick sends whatever is due by now (rate × elapsed),
// round-robin over the visitors, so the load is smooth rather than in bursts.
awaitable<void> send_loop() {
  auto& o = B.opt;
  std::vector<int> live;
  for (int i = 0; i < o.visitors; ++i) {
    auto& v = B.visitors[static_cast<std::size_t>(i)];
    if (v.conn && v.conn->open && v.conversation) live.push_back(i);
  }
  if (live.empty()) co_return;
  auto total = static_cast<std::int64_t>(B.msgs.size());
  auto t0 = Clock::now();
  std::size_t rr = 0;
  asio::steady_timer timer(B.io);
  auto tick = t0;
  while (B.st.sent + B.st.send_failed < total) {
    double elapsed = std::chrono::duration<double>(Clock::now() - t0).count();
    auto due = std::min<std::int64_t>(total, static_cast<std::int64_t>(o.rate * elapsed) + 1);
    while (B.st.sent + B.st.send_failed < due) {
      auto n = static_cast<std::size_t>(B.st.sent + B.st.send_failed);
      auto& v = B.visitors[static_cast<std::size_t>(live[rr++ % live.size()])];
      auto& m = B.msgs[n];
      m.visitor = static_cast<std::int32_t>(&v - B.visitors.data());
      if (!v.conn->open && !o.reconnect) {
        ++B.st.send_failed;
        continue;
      }
      m.sent_ns = now_ns();
      if (o.reconnect) {
        // Kept until acknowledged; a visitor between sockets sends it on reconnecting.
        std::erase_if(v.unacked, [](std::size_t k) { return B.msgs[k].acked; });
        v.unacked.push_back(n);
      }
      if (v.conn->open) send_message(v, n);
      ++B.st.sent;
    }
    tick += std::chrono::milliseconds(1);
    if (tick < Clock::now()) tick = Clock::now();
    timer.expires_at(tick);
    co_await timer.async_wait(as_tuple(use_awaitable));
  }
}

std::string fmt(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.2f", v);
  return buf;
}

awaitable<int> run() {
  auto& o = B.opt;
  auto setup_deadline = Clock::now() + std::chrono::duration_cast<Clock::duration>(
                                           std::chrono::duration<double>(o.setup_timeout));
  B.setup_deadline = setup_deadline;
  asio::co_spawn(B.io, progress_loop(), asio::detached);

  // 1. Agents log in (cookie + CSRF token).
  int agents = o.idle_only ? 0 : o.agents;
  o.agents = agents;
  B.phase = "login";
  if (agents > 0 && !co_await login_agents(setup_deadline)) co_return 1;

  // 2. Visitor tokens and (unless idle) one chat conversation each, over REST.
  B.phase = "rest";
  co_await setup_visitors_rest();
  std::cerr << "switchboard-load: setup REST done in "
            << std::chrono::duration<double>(Clock::now() - B.start).count() << " s\n";

  // 3. Agents connect and subscribe to their share of the conversations.
  B.phase = "agents";
  for (int i = 0; i < o.visitors; ++i)
    if (B.visitors[static_cast<std::size_t>(i)].conversation && agents > 0)
      B.agents[static_cast<std::size_t>(i % agents)].conversations.push_back(
          B.visitors[static_cast<std::size_t>(i)].conversation);
  co_await bounded(agents, o.setup_concurrency, connect_agent);
  co_await wait_until(
      [] {
        return std::all_of(B.agents.begin(), B.agents.end(),
                           [](auto& a) { return !a.conn || !a.conn->open || a.conn->ready; });
      },
      setup_deadline);

  // 4. Visitors connect (bounded concurrency).
  long rss_before = read_rss_kib(o.server_pid);
  B.phase = "connect";
  auto t_connect = Clock::now();
  co_await bounded(o.visitors, o.setup_concurrency, connect_visitor);
  co_await wait_until(
      [] {
        return std::all_of(B.visitors.begin(), B.visitors.end(), [](auto& v) {
          return !v.conn || !v.conn->open || (B.opt.idle_only ? v.conn->hello : v.conn->ready);
        });
      },
      setup_deadline);
  double connect_s = std::chrono::duration<double>(Clock::now() - t_connect).count();
  std::cerr << "switchboard-load: " << B.open_visitors << " visitor sockets open in " << connect_s
            << " s\n";
  int connected = B.open_visitors;

  std::ostringstream out;
  if (o.idle_only) {
    B.phase = "idle";
    co_await sleep_for(
        std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(o.duration)));
    long rss_after = read_rss_kib(o.server_pid);
    B.done = true;
    int still_open = B.open_visitors;
    out << "{\"mode\":\"idle\",\"connections\":" << still_open << ",\"requested\":" << o.visitors
        << ",\"connect_failed\":" << B.st.connect_failed + B.st.setup_failed
        << ",\"disconnects\":" << B.st.disconnects << ",\"connect_s\":" << fmt(connect_s)
        << ",\"hold_s\":" << fmt(o.duration)
        << ",\"rate\":0,\"delivered\":0,\"lost\":0,\"duplicated\":0,\"p50_ms\":null,\"p99_ms\":null"
        << ",\"server_rss_before_kib\":" << rss_before << ",\"server_rss_kib\":" << rss_after
        << ",\"kib_per_connection\":"
        << (rss_before > 0 && rss_after > 0 && still_open > 0
                ? fmt(double(rss_after - rss_before) / still_open)
                : std::string("null"))
        << "}";
    std::cout << out.str() << std::endl;
    co_return (still_open == o.visitors && B.st.disconnects == 0) ? 0 : 1;
  }

  // 5. Send at the paced rate, then drain.
  B.phase = "send";
  B.msgs.resize(static_cast<std::size_t>(std::llround(o.rate * o.duration)));
  auto t_send = Clock::now();
  double cpu_before = read_cpu_s(o.server_pid);
  co_await send_loop();
  double send_s = std::chrono::duration<double>(Clock::now() - t_send).count();
  B.phase = "drain";
  auto drain_deadline = Clock::now() + std::chrono::duration_cast<Clock::duration>(
                                           std::chrono::duration<double>(o.drain));
  co_await wait_until([] { return B.st.acked == B.st.sent && B.st.delivered >= B.st.acked; },
                      drain_deadline);
  co_await sleep_for(std::chrono::milliseconds(300));  // late duplicates, if any
  long rss_after = read_rss_kib(o.server_pid);
  double cpu_after = read_cpu_s(o.server_pid);
  std::string server_us_per_msg = cpu_before >= 0 && cpu_after >= 0 && B.st.sent > 0
                                      ? fmt((cpu_after - cpu_before) * 1e6 / double(B.st.sent))
                                      : std::string("null");
  B.done = true;

  std::int64_t lost = 0, unacked = 0;
  for (std::size_t n = 0; n < static_cast<std::size_t>(B.st.sent + B.st.send_failed); ++n) {
    const auto& m = B.msgs[n];
    if (m.sent_ns == 0) continue;  // send_failed
    if (!m.acked) {
      ++unacked;
    } else if (m.received == 0) {
      if (++lost <= 5) {
        auto conv = B.visitors[static_cast<std::size_t>(m.visitor)].conversation;
        std::cerr << "switchboard-load: lost " << B.run_id << "-" << n << " (visitor " << m.visitor
                  << ", conversation " << conv << ", agents' last seq";
        for (auto& a : B.agents)
          if (std::find(a.conversations.begin(), a.conversations.end(), conv) !=
              a.conversations.end())
            std::cerr << " " << a.last_seq[conv];
        std::cerr << ")\n";
      }
    }
  }
  auto& lat = B.st.latency_ms;
  auto p50 = percentile_str(lat, 0.5), p90 = percentile_str(lat, 0.9),
       p99 = percentile_str(lat, 0.99), p999 = percentile_str(lat, 0.999);
  float max = lat.empty() ? 0 : *std::max_element(lat.begin(), lat.end());
  out << "{\"mode\":\"chat\",\"connections\":" << connected << ",\"agents\":" << B.open_agents
      << ",\"rate\":" << fmt(o.rate) << ",\"duration_s\":" << fmt(o.duration)
      << ",\"achieved_rate\":" << fmt(send_s > 0 ? B.st.sent / send_s : 0)
      << ",\"sent\":" << B.st.sent << ",\"acked\":" << B.st.acked
      << ",\"delivered\":" << B.st.delivered << ",\"lost\":" << lost << ",\"unacked\":" << unacked
      << ",\"duplicated\":" << B.st.duplicated << ",\"p50_ms\":" << p50 << ",\"p90_ms\":" << p90
      << ",\"p99_ms\":" << p99 << ",\"p999_ms\":" << p999 << ",\"max_ms\":" << fmt(max)
      << ",\"errors\":" << B.st.errors << ",\"disconnects\":" << B.st.disconnects
      << ",\"reconnects\":" << B.st.reconnects << ",\"resent\":" << B.st.resent
      << ",\"connect_failed\":" << B.st.connect_failed + B.st.setup_failed
      << ",\"conversation_frames\":" << B.st.conversation_frames
      << ",\"server_rss_before_kib\":" << rss_before << ",\"server_rss_kib\":" << rss_after
      << ",\"server_cpu_us_per_message\":" << server_us_per_msg << "}";
  std::cout << out.str() << std::endl;
  bool ok = lost == 0 && unacked == 0 && B.st.duplicated == 0 &&
            B.st.sent == static_cast<std::int64_t>(B.msgs.size()) &&
            (B.st.disconnects == 0 || o.reconnect) && connected == o.visitors;
  co_return ok ? 0 : 1;
}

bool parse_args(int argc, char** argv, Options& o) {
  std::string url;
  for (int i = 1; i < argc; ++i) {
    std::string f = argv[i];
    auto value = [&]() -> std::string {
      if (i + 1 >= argc) throw std::invalid_argument(f + " needs a value");
      return argv[++i];
    };
    if (f == "--url")
      url = value();
    else if (f == "--visitors")
      o.visitors = std::stoi(value());
    else if (f == "--agents")
      o.agents = std::stoi(value());
    else if (f == "--rate")
      o.rate = std::stod(value());
    else if (f == "--duration")
      o.duration = std::stod(value());
    else if (f == "--idle-only")
      o.idle_only = true;
    else if (f == "--server-pid")
      o.server_pid = std::stoi(value());
    else if (f == "--inbox")
      o.inbox = value();
    else if (f == "--agent-email")
      o.agent_emails.push_back(value());
    else if (f == "--agent-password")
      o.agent_password = value();
    else if (f == "--no-visitor-subscribe")
      o.visitor_subscribe = false;
    else if (f == "--drain")
      o.drain = std::stod(value());
    else if (f == "--setup-concurrency")
      o.setup_concurrency = std::stoi(value());
    else if (f == "--setup-timeout")
      o.setup_timeout = std::stod(value());
    else if (f == "--reconnect")
      o.reconnect = true;
    else if (f == "--help" || f == "-h")
      return false;
    else
      throw std::invalid_argument("unknown option " + f);
  }
  const std::string scheme = "http://";
  if (url.rfind(scheme, 0) != 0)
    throw std::invalid_argument("--url http://127.0.0.1:PORT is required");
  auto hostport = url.substr(scheme.size());
  hostport = hostport.substr(0, hostport.find('/'));
  auto colon = hostport.rfind(':');
  if (colon == std::string::npos) throw std::invalid_argument("--url needs a port");
  o.host = hostport.substr(0, colon);
  o.port = static_cast<unsigned short>(std::stoi(hostport.substr(colon + 1)));
  if (o.host.size() > 2 && o.host.front() == '[') o.host = o.host.substr(1, o.host.size() - 2);
  if (o.visitors < 0 || o.visitors > 1000000 || o.agents < 0 || o.agents > 1000 || o.rate <= 0 ||
      o.rate > 1e6 || o.duration <= 0 || o.duration > 3600 || o.drain < 0 || o.drain > 600 ||
      o.setup_concurrency < 1)
    throw std::invalid_argument("an option is out of range");
  if (!o.idle_only && o.rate * o.duration > 50'000'000)
    throw std::invalid_argument("rate × duration is too large");
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    if (!parse_args(argc, argv, B.opt)) {
      std::cerr << kUsage;
      return 2;
    }
  } catch (const std::exception& e) {
    std::cerr << "switchboard-load: " << e.what() << "\n" << kUsage;
    return 2;
  }
  auto& o = B.opt;
  // Loopback only: this tool is for measuring one's own server.
  boost::system::error_code ec;
  auto addr = asio::ip::make_address(o.host == "localhost" ? "127.0.0.1" : o.host, ec);
  if (ec || !addr.is_loopback()) {
    std::cerr << "switchboard-load: only loopback addresses are allowed (got " << o.host << ")\n";
    return 2;
  }
  B.endpoint = tcp::endpoint(addr, o.port);
  std::signal(SIGPIPE, SIG_IGN);

  // Every socket is a file descriptor: raise the soft limit to the hard one.
  rlimit rl{};
  getrlimit(RLIMIT_NOFILE, &rl);
  rl.rlim_cur = rl.rlim_max;
  setrlimit(RLIMIT_NOFILE, &rl);
  auto need = static_cast<rlim_t>(o.visitors + o.agents + o.setup_concurrency + 32);
  if (rl.rlim_cur != RLIM_INFINITY && rl.rlim_cur < need)
    std::cerr << "switchboard-load: warning: RLIMIT_NOFILE is " << rl.rlim_cur << " but about "
              << need
              << " descriptors are needed; some connections will fail (see bench/README.md)\n";

  std::random_device rd;
  char id[16];
  std::snprintf(id, sizeof id, "ld%08x", rd());
  B.run_id = id;

  // Watchdog: the run is bounded even if the server stops answering.
  double budget = o.setup_timeout + o.duration + o.drain + 60;
  std::thread([budget] {
    auto until = Clock::now() +
                 std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(budget));
    while (Clock::now() < until) {
      std::this_thread::sleep_for(std::chrono::milliseconds(200));
      if (B.done) return;
    }
    std::cout << "{\"error\":\"timeout\",\"phase\":\"" << B.phase << "\"}" << std::endl;
    std::_Exit(3);
  }).detach();

  int rc = 1;
  asio::co_spawn(B.io, run(), [&](std::exception_ptr e, int r) {
    rc = r;
    if (e) {
      try {
        std::rethrow_exception(e);
      } catch (const std::exception& ex) {
        std::cerr << "switchboard-load: " << ex.what() << "\n";
        std::cout << "{\"error\":\"" << ex.what() << "\"}" << std::endl;
      }
      rc = 1;
    }
    B.done = true;
    B.io.stop();
  });
  B.io.run();
  std::cout.flush();
  std::cerr.flush();
  std::_Exit(rc);  // thousands of sockets: let the kernel close them
}
