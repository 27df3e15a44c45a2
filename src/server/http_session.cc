#include <unistd.h>

#include <filesystem>

#include "api/api.h"
#include "asio/asio.h"
#include "http/http.h"
#include "server/transport.h"

namespace sb {
namespace {

namespace bhttp = beast::http;
using asio::as_tuple;
using asio::use_awaitable;
constexpr auto kIdle = std::chrono::seconds(60);          // writing a response
constexpr auto kBodyTimeout = std::chrono::seconds(120);  // 10 MiB on a slow line
// Draining: how long a connection accepted just before may take to send its request.
constexpr auto kOpeningGrace = std::chrono::milliseconds(2000);

http::Request to_request(const bhttp::request_header<>& in, const std::string& remote) {
  http::Request r;
  r.method = std::string(in.method_string());
  std::string_view target = in.target();
  auto q = target.find('?');
  r.path = std::string(target.substr(0, q));
  if (q != std::string_view::npos) r.query = http::parse_query(target.substr(q + 1));
  for (const auto& f : in) {
    r.headers[lower_ascii(f.name_string())] = std::string(f.value());
  }
  r.remote = remote;
  return r;
}

template <class Body>
void add_headers(bhttp::response<Body>& out, const http::Response& r, bool keep_alive) {
  out.set(bhttp::field::server, "switchboard");
  out.set("Referrer-Policy", "same-origin");
  for (const auto& [k, v] : r.headers) out.insert(k, v);
  out.keep_alive(keep_alive);
}

asio::awaitable<bool> write_response(beast::tcp_stream& stream, const http::Response& r,
                                     unsigned version, bool keep_alive, bool head) {
  if (!r.file_path.empty()) {
    bhttp::file_body::value_type file;
    beast::error_code ec;
    file.open(r.file_path.c_str(), beast::file_mode::scan, ec);
    if (r.delete_file) ::unlink(r.file_path.c_str());
    if (!ec) {
      bhttp::response<bhttp::file_body> out{bhttp::status::ok, version};
      add_headers(out, r, keep_alive);
      out.body() = std::move(file);
      out.prepare_payload();
      if (head) {
        bhttp::response_serializer<bhttp::file_body> sr{out};
        auto [wec, n] = co_await bhttp::async_write_header(stream, sr, as_tuple(use_awaitable));
        co_return !wec;
      }
      auto [wec, n] = co_await bhttp::async_write(stream, out, as_tuple(use_awaitable));
      co_return !wec;
    }
    auto missing = http::not_found("file");
    co_return co_await write_response(stream, missing, version, keep_alive, head);
  }
  bhttp::response<bhttp::string_body> out{static_cast<bhttp::status>(r.status), version};
  add_headers(out, r, keep_alive);
  out.body() = head ? "" : r.body;
  out.prepare_payload();
  if (head) out.content_length(r.body.size());
  auto [ec, n] = co_await bhttp::async_write(stream, out, as_tuple(use_awaitable));
  co_return !ec;
}

// After refusing a body, read and drop what the client is still sending (bounded
// in bytes and time) so it gets to read our answer instead of a reset.
asio::awaitable<void> linger(beast::tcp_stream& stream) {
  beast::error_code ignored;
  stream.socket().shutdown(tcp::socket::shutdown_send, ignored);
  static thread_local char sink[64 * 1024];
  std::size_t drained = 0;
  stream.expires_after(std::chrono::seconds(5));
  while (drained < 4 * kMaxUploadBytes) {
    auto [ec, n] = co_await stream.async_read_some(asio::buffer(sink), as_tuple(use_awaitable));
    if (ec) break;
    drained += n;
  }
}

// An upload in progress: <data_dir>/files/incoming/<random>.part, removed unless
// the handler moved it into place.
struct PartFile {
  std::string path;
  ~PartFile() {
    if (!path.empty()) ::unlink(path.c_str());
  }
};

// Counts this connection against its IP's cap for as long as it lives.
struct ConnectionSlot {
  limits::ConcurrencyCap& cap;
  std::string ip;
  bool held;
  ~ConnectionSlot() {
    if (held) cap.release(ip);
  }
};

template <class Body>
asio::awaitable<beast::error_code> read_body(beast::tcp_stream& stream, beast::flat_buffer& buffer,
                                             bhttp::request_parser<Body>& parser) {
  stream.expires_after(kBodyTimeout);
  auto [ec, n] = co_await bhttp::async_read(stream, buffer, parser, as_tuple(use_awaitable));
  co_return ec;
}

// Reads the body as the route's plan says: into memory, or streamed to a file.
asio::awaitable<beast::error_code> read_request_body(beast::tcp_stream& stream,
                                                     beast::flat_buffer& buffer,
                                                     bhttp::request_parser<bhttp::empty_body>& head,
                                                     const BodyPlan& plan, http::Request& request,
                                                     PartFile& part, Shared& sh) {
  // Beast reads at most the buffer's free capacity per call: left at the
  // header's ~1 KiB, a 10 MiB upload took ~10,000 reads (and allocations).
  // Idle keep-alive connections give the room back afterwards.
  buffer.reserve(64 * 1024);
  struct Shrink {
    beast::flat_buffer& b;
    ~Shrink() { b.shrink_to_fit(); }
  } shrink{buffer};
  if (plan.to_file) {
    const auto& dir = sh.incoming;
    std::error_code mk;
    std::filesystem::create_directories(dir, mk);
    part.path = (dir / (sh.env.random_hex(16) + ".part")).string();
    bhttp::request_parser<bhttp::file_body> parser(std::move(head));
    parser.body_limit(plan.limit);
    beast::error_code ec;
    parser.get().body().open(part.path.c_str(), beast::file_mode::write_new, ec);
    if (ec) co_return ec;
    ec = co_await read_body(stream, buffer, parser);
    parser.get().body().close();
    request.body_file = part.path;
    co_return ec;
  }
  bhttp::request_parser<bhttp::string_body> parser(std::move(head));
  parser.body_limit(plan.limit);
  auto ec = co_await read_body(stream, buffer, parser);
  if (!ec) request.body = std::move(parser.get().body());
  co_return ec;
}

// A visitor's message is checked here on the I/O thread and handed straight to
// the group-commit writer (one hand-off there, one back); everything else runs
// on a worker, where blocking on the database is fine.
asio::awaitable<http::Response> answer(Shared& sh, const http::Request& request) {
  // Probes read state kept in memory: answered here, so a busy worker pool
  // cannot make a live process look dead.
  if (request.path == "/healthz" || request.path == "/readyz") co_return sh.router.handle(request);
  auto started = std::chrono::steady_clock::now();
  if (auto plan = sh.router.plan_append(request)) {
    if (auto* refusal = std::get_if<http::Response>(&*plan)) co_return std::move(*refusal);
    auto& append = std::get<AppendPlan>(*plan);
    std::exception_ptr error;
    AppendResult stored;
    try {
      stored = co_await async_append(sh, append.event, asio::use_awaitable);
    } catch (...) {
      error = std::current_exception();
    }
    co_return sh.router.answer_append(request, append, error, stored, started);
  }
  co_return co_await offload(sh, [&sh, &request] { return sh.router.handle(request); });
}

// While the connection waits for a request, a drain closes it: the client sends
// that request to another node instead. A kept-alive connection is closed at
// once; a new one after `grace`, since its client opened it to send something
// (a browser's speculative connection may never send anything). All of it runs
// on the connection's strand.
struct IdleWait {
  struct State {
    beast::tcp_stream* stream;
    bool idle = true;
  };
  std::shared_ptr<State> state;
  std::shared_ptr<void> registration;

  IdleWait(Drain& drain, beast::tcp_stream& stream, std::chrono::milliseconds grace)
      : state(std::make_shared<State>(State{&stream})) {
    registration =
        drain.watch(Drain::Kind::kIdleHttp, [s = state, ex = stream.get_executor(), grace] {
          asio::post(ex, [s, ex, grace] {
            if (!s->idle) return;
            if (grace.count() == 0) {
              s->stream->cancel();
              return;
            }
            auto timer = std::make_shared<asio::steady_timer>(ex, grace);
            timer->async_wait([s, timer](beast::error_code) {
              if (s->idle) s->stream->cancel();
            });
          });
        });
  }
  ~IdleWait() { state->idle = false; }
};

asio::awaitable<void> refuse_upgrade_while_draining(beast::tcp_stream& stream, unsigned version) {
  auto r = http::error(503, "draining", "this server is restarting: connect again");
  r.header("Retry-After", "1");
  co_await write_response(stream, r, version, false, false);
}

}  // namespace

// One connection: header (in time), then the route decides about the body before
// a byte of it is read — unknown route, too large, or not allowed is answered at
// once — then the handler runs on the worker pool. While draining, a new
// connection's first request is still awaited for a moment (`opening` holds the
// drain for it), a kept-alive one is closed between requests.
asio::awaitable<void> run_http_session(tcp::socket socket, Shared& sh,
                                       std::unique_ptr<Drain::Busy> opening) {
  beast::error_code ignored;
  auto endpoint = socket.remote_endpoint(ignored);
  std::string peer = endpoint.address().to_string();
  // A trusted proxy carries many clients on its connections: no per-IP cap for it.
  bool via_proxy = std::find(sh.config.trusted_proxies.begin(), sh.config.trusted_proxies.end(),
                             peer) != sh.config.trusted_proxies.end();
  if (!via_proxy && !sh.abuse.connections.acquire(peer)) {
    socket.close(ignored);  // over this IP's cap: no answer costs less than none
    co_return;
  }
  ConnectionSlot slot{sh.abuse.connections, peer, !via_proxy};  // gives back what it took
  const auto header_timeout = std::chrono::milliseconds(sh.abuse.config.header_timeout_ms);
  beast::tcp_stream stream(std::move(socket));
  beast::flat_buffer buffer;
  for (;;) {
    bhttp::request_parser<bhttp::empty_body> head;
    head.header_limit(16 * 1024);
    head.body_limit(boost::none);  // the route decides, below
    stream.expires_after(header_timeout);
    std::optional<IdleWait> idle;
    if (opening) {
      idle.emplace(sh.drain, stream, kOpeningGrace);
    } else if (buffer.size() == 0) {  // kept alive, between requests
      if (sh.drain.draining()) break;
      idle.emplace(sh.drain, stream, std::chrono::milliseconds(0));
    }
    auto [ec, n] = co_await bhttp::async_read_header(stream, buffer, head, as_tuple(use_awaitable));
    Drain::Busy busy(sh.drain);  // before the idle registration ends: the drain sees one or other
    idle.reset();
    opening.reset();
    if (ec) break;
    const auto& header = head.get();
    if (beast::websocket::is_upgrade(header) &&
        header.target().substr(0, header.target().find('?')) == "/ws") {
      if (sh.drain.draining()) {
        co_await refuse_upgrade_while_draining(stream, header.version());
        break;
      }
      stream.expires_never();
      bhttp::request<bhttp::string_body> req(std::move(head.release().base()));
      // This frame lives as long as the socket: keep nothing of the HTTP side
      // (a client sends no frame before our 101, so the buffer holds nothing).
      buffer.clear();
      buffer.shrink_to_fit();
      auto held = std::make_shared<ConnectionSlot>(slot.cap, slot.ip, slot.held);
      slot.held = false;  // handed on
      co_await run_websocket_session(std::move(stream), std::move(req), sh, std::move(held));
      co_return;
    }
    bool keep_alive = header.keep_alive();
    bool is_head = header.method() == bhttp::verb::head;
    unsigned version = header.version();
    auto request = to_request(
        header, http::client_address(peer, header["X-Forwarded-For"], sh.config.trusted_proxies));
    std::optional<std::uint64_t> declared;
    if (auto length = head.content_length())
      declared = *length;
    else if (!head.chunked())
      declared = 0;
    auto plan = sh.router.plan_body(request, declared);
    if (!plan.refusal && plan.needs_admission)
      plan.refusal = co_await offload(sh, [&sh, &request] { return sh.router.admit(request); });
    if (plan.refusal) {
      plan.refusal->header("Connection", "close");
      co_await write_response(stream, *plan.refusal, version, false, is_head);
      if (declared != 0u) co_await linger(stream);
      co_return;
    }
    PartFile part;
    if (declared != 0u) {
      auto body_ec = co_await read_request_body(stream, buffer, head, plan, request, part, sh);
      if (body_ec == bhttp::error::body_limit) {
        auto r = http::error(413, "too_large", "request body is too large");
        r.header("Access-Control-Allow-Origin", "*");
        co_await write_response(stream, r, version, false, false);
        co_await linger(stream);
        co_return;
      }
      if (body_ec) break;
    }
    auto response = co_await answer(sh, request);
    if (sh.drain.draining()) keep_alive = false;  // the next request goes to another node
    stream.expires_after(kIdle);
    if (!co_await write_response(stream, response, version, keep_alive, is_head) || !keep_alive)
      break;
  }
  stream.socket().shutdown(tcp::socket::shutdown_send, ignored);
}

}  // namespace sb
