// Private to server/: the Beast/Asio side. Sessions run as C++20 coroutines,
// each connection on its own strand; store work is moved to a worker pool so
// no I/O thread ever waits for the database.
#pragma once

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include "api/api.h"
#include "server/lifecycle.h"

namespace sb {

namespace asio = boost::asio;
namespace beast = boost::beast;
using tcp = asio::ip::tcp;

// What a WebSocket session works with.
struct SocketServices {
  Authenticator& auth;
  Messaging& messaging;
  ConversationStore& conversations;  // subscriptions replay the log
  Hub& hub;
  Metrics& metrics;
};

// What the sessions share: the router, the worker pool, what the transport
// itself checks (per-IP sockets, header timeout, proxies, where bodies stream to),
// and the process's state (draining, writes in flight).
struct Shared {
  Router router;
  asio::thread_pool workers;
  Abuse& abuse;
  const ServerConfig& config;
  std::filesystem::path incoming;
  ConversationStore& conversations;  // the router's fast path appends here
  Env& env;                          // names of streamed uploads
  SocketServices sockets;
  Drain& drain;
  WriteWatch& writes;
};

// Runs f() on the worker pool and resumes the caller on its own executor.
template <class F>
asio::awaitable<std::invoke_result_t<F>> offload(Shared& sh, F f) {
  using R = std::invoke_result_t<F>;
  co_return co_await asio::co_spawn(
      sh.workers, [f = std::move(f)]() mutable -> asio::awaitable<R> { co_return f(); },
      asio::use_awaitable);
}

// Stores an event without blocking a thread: one hand-off to the store's writer,
// one back to the caller's executor once committed. Throws what the store threw.
// The write is watched (/readyz's writer check) and timed (/metrics).
template <class Token>
auto async_append(Shared& sh, NewEvent event, Token&& token) {
  return asio::async_initiate<Token, void(std::exception_ptr, AppendResult)>(
      [&sh](auto handler, NewEvent e) {
        auto ex = asio::get_associated_executor(handler);
        auto h = std::make_shared<decltype(handler)>(std::move(handler));
        auto started = std::chrono::steady_clock::now();
        sh.writes.started();
        sh.conversations.append_event_async(
            std::move(e),
            [h, ex, &sh, started](std::optional<AppendResult> r, std::exception_ptr error) {
              sh.writes.finished();
              sh.sockets.metrics.observe_db_write_ms(std::chrono::duration<double, std::milli>(
                                                         std::chrono::steady_clock::now() - started)
                                                         .count());
              asio::post(ex, [h, error, r = std::move(r)]() mutable {
                (*h)(error, r ? std::move(*r) : AppendResult{});
              });
            });
      },
      token, std::move(event));
}

// `opening` counts the connection as busy from its accept to its first request.
asio::awaitable<void> run_http_session(tcp::socket socket, Shared& sh,
                                       std::unique_ptr<Drain::Busy> opening);
// Authenticates the upgrade, then starts the session on its own and returns:
// nothing of the HTTP side stays allocated for the socket's life. `slot` (the
// per-IP connection count) is held until the socket closes.
asio::awaitable<void> run_websocket_session(beast::tcp_stream stream,
                                            beast::http::request<beast::http::string_body> req,
                                            Shared& sh, std::shared_ptr<void> slot);

}  // namespace sb
