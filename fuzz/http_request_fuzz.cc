// The HTTP request path up to the handler: Beast's parser with the server's
// limits, then the request value handlers see (query, cookies, parameters).
#undef BOOST_BEAST_SEPARATE_COMPILATION  // header-only here: one small binary
#undef BOOST_ASIO_SEPARATE_COMPILATION
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include "http/http.h"

namespace bhttp = boost::beast::http;

extern "C" int LLVMFuzzerTestOneInput(const unsigned char* data, std::size_t size) {
  bhttp::request_parser<bhttp::string_body> parser;
  parser.header_limit(16 * 1024);
  parser.body_limit(128 * 1024);
  boost::beast::error_code ec;
  std::size_t used = parser.put(boost::asio::buffer(data, size), ec);
  if (!ec && !parser.is_done() && used < size)
    parser.put(boost::asio::buffer(data + used, size - used), ec);
  if (!parser.is_header_done()) return 0;
  const auto& in = parser.get();
  sb::http::Request r;
  r.method = std::string(in.method_string());
  std::string_view target = in.target();
  auto q = target.find('?');
  r.path = std::string(target.substr(0, q));
  if (q != std::string_view::npos) r.query = sb::http::parse_query(target.substr(q + 1));
  for (const auto& f : in) r.headers[std::string(f.name_string())] = std::string(f.value());
  (void)r.cookie("sb_session");
  (void)r.param("visitor_token");
  (void)r.header("authorization");
  (void)sb::http::url_decode(r.path);
  return 0;
}
