// Part of http/, exported by http/http.h: transport-neutral request/response values, so handlers
// compile without Beast and are plain functions of their input.
#pragma once

#include <boost/json.hpp>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace sb::http {

struct Request {
  std::string method;  // GET, POST, ...
  std::string path;    // decoded path without the query
  std::map<std::string, std::string> query;
  std::map<std::string, std::string> headers;  // lower-case names
  std::string body;
  std::string body_file;  // instead of `body` for uploads: streamed to this file
  std::string remote;

  std::string header(const std::string& name) const;
  std::optional<std::string> cookie(const std::string& name) const;
  std::optional<std::string> param(const std::string& name) const;
};

struct Response {
  int status = 200;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  std::string file_path;     // when set, the body is this file (streamed by the transport)
  bool delete_file = false;  // a temporary file: unlinked once opened (the open handle reads on)

  Response& header(std::string name, std::string value) {
    headers.emplace_back(std::move(name), std::move(value));
    return *this;
  }
};

// The client's address. Behind a trusted reverse proxy (the peer is one of
// `trusted`), the right-most X-Forwarded-For entry that is not itself a trusted
// proxy; anything else in the header is the client's to forge, so it is ignored.
std::string client_address(const std::string& peer, std::string_view forwarded_for,
                           const std::vector<std::string>& trusted);

Response json(int status, const boost::json::value& v);
Response error(int status, std::string_view code, std::string_view message);
Response not_found(std::string_view what);

std::string url_decode(std::string_view s);
std::map<std::string, std::string> parse_query(std::string_view q);

}  // namespace sb::http
