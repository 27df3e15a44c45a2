#include "server/pch.h"
#include "server/transport.h"

namespace sb {
namespace {

namespace bhttp = beast::http;
using asio::as_tuple;
using asio::use_awaitable;
constexpr auto kIdle = std::chrono::seconds(60);

http::Request to_request(const bhttp::request<bhttp::string_body>& in, const std::string& remote) {
  http::Request r;
  r.method = std::string(in.method_string());
  std::string_view target = in.target();
  auto q = target.find('?');
  r.path = std::string(target.substr(0, q));
  if (q != std::string_view::npos) r.query = http::parse_query(target.substr(q + 1));
  for (const auto& f : in) {
    r.headers[lower_ascii(f.name_string())] = std::string(f.value());
  }
  r.body = in.body();
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

}  // namespace

asio::awaitable<void> run_http_session(tcp::socket socket, Shared& sh) {
  beast::error_code ignored;
  auto endpoint = socket.remote_endpoint(ignored);
  std::string remote = endpoint.address().to_string();
  beast::tcp_stream stream(std::move(socket));
  beast::flat_buffer buffer;
  for (;;) {
    bhttp::request_parser<bhttp::string_body> parser;
    parser.header_limit(16 * 1024);
    parser.body_limit(kMaxUploadBytes + 1);
    stream.expires_after(kIdle);
    auto [ec, n] = co_await bhttp::async_read(stream, buffer, parser, as_tuple(use_awaitable));
    if (ec == bhttp::error::body_limit) {
      auto r = http::error(413, "too_large", "request body is larger than 10 MiB");
      r.header("Access-Control-Allow-Origin", "*");
      co_await write_response(stream, r, 11, false, false);
      co_await linger(stream);
      co_return;
    }
    if (ec) break;
    auto req = parser.release();
    if (beast::websocket::is_upgrade(req) &&
        req.target().substr(0, req.target().find('?')) == "/ws") {
      stream.expires_never();
      co_await run_websocket_session(std::move(stream), std::move(req), sh);
      co_return;
    }
    bool keep_alive = req.keep_alive();
    bool head = req.method() == bhttp::verb::head;
    auto request = to_request(req, remote);
    auto response = co_await offload(sh, [&sh, &request] { return sh.router.handle(request); });
    stream.expires_after(kIdle);
    if (!co_await write_response(stream, response, req.version(), keep_alive, head) || !keep_alive)
      break;
  }
  stream.socket().shutdown(tcp::socket::shutdown_send, ignored);
}

}  // namespace sb
