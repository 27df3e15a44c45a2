// Private to server/: the Beast/Asio side. Sessions run as C++20 coroutines,
// each connection on its own strand; store work is moved to a worker pool so
// no I/O thread ever waits for the database.
#pragma once

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include "api/api.h"

namespace sb {

namespace asio = boost::asio;
namespace beast = boost::beast;
using tcp = asio::ip::tcp;

struct Shared {
  Context& ctx;
  Router router;
  asio::thread_pool workers;
};

// Runs f() on the worker pool and resumes the caller on its own executor.
template <class F>
asio::awaitable<std::invoke_result_t<F>> offload(Shared& sh, F f) {
  using R = std::invoke_result_t<F>;
  co_return co_await asio::co_spawn(
      sh.workers, [f = std::move(f)]() mutable -> asio::awaitable<R> { co_return f(); },
      asio::use_awaitable);
}

asio::awaitable<void> run_http_session(tcp::socket socket, Shared& sh);
asio::awaitable<void> run_websocket_session(beast::tcp_stream stream,
                                            beast::http::request<beast::http::string_body> req,
                                            Shared& sh);

}  // namespace sb
