#include "app/email_parse.h"

#include <boost/json.hpp>
#include <fstream>
#include <iostream>
#include <iterator>

#include "mime/mime.h"

namespace sb {

namespace {

constexpr std::size_t kMaxMailBytes = 50 * 1024 * 1024;

int refuse(const std::string& why) {
  std::cout << boost::json::serialize(boost::json::object{{"error", why}}) << "\n";
  return 2;
}

// Reads at most one byte more than the limit, so a huge file is not slurped.
bool read_bounded(std::istream& in, std::string& out) {
  out.clear();
  char buf[65536];
  while (in.read(buf, sizeof buf) || in.gcount() > 0) {
    out.append(buf, static_cast<std::size_t>(in.gcount()));
    if (out.size() > kMaxMailBytes) return false;
  }
  return true;
}

}  // namespace

int email_parse(const std::string& path) {
  std::string raw;
  bool within = false;
  if (path == "-") {
    within = read_bounded(std::cin, raw);
  } else {
    std::ifstream in(path, std::ios::binary);
    if (!in) return refuse("cannot read " + path);
    within = read_bounded(in, raw);
    if (in.bad()) return refuse("cannot read " + path);
  }
  if (!within) return refuse("the mail is over 50 MB");
  std::string error;
  auto mail = mime::parse(raw, &error);
  if (!mail) return refuse(error);
  std::cout << boost::json::serialize(mail->to_json()) << "\n";
  return 0;
}

}  // namespace sb
