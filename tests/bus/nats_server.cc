#include "nats_server.h"

#include <unistd.h>

#include <boost/json.hpp>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "support/run_command.h"

namespace sb::bustest {
namespace {

namespace json = boost::json;

std::string read_file(const std::string& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

}  // namespace

NatsServer::NatsServer(std::size_t max_payload, std::string user, std::string pass)
    : max_payload_(max_payload), user_(std::move(user)), pass_(std::move(pass)) {
  start(0);
}

NatsServer::~NatsServer() {
  stop();
}

void NatsServer::start(int port) {
  std::string command =
      std::string(SB_NATSSERVER_SCRIPT) + " start --owner " + std::to_string(::getpid());
  if (port) command += " --port " + std::to_string(port);
  if (max_payload_) command += " --max-payload " + std::to_string(max_payload_);
  if (!user_.empty()) command += " --user '" + user_ + "' --pass '" + pass_ + "'";
  auto log = "/tmp/sb-nats-start-" + std::to_string(::getpid()) + ".log";
  auto [out, ok] = test::run_command(command + " 2>'" + log + "'");
  auto why = read_file(log);
  std::remove(log.c_str());
  if (!ok) throw std::runtime_error("the NATS test server did not start:\n" + why);
  auto o = json::parse(out).as_object();
  dir_ = json::value_to<std::string>(o.at("dir"));
  port_ = static_cast<int>(o.at("port").as_int64());
}

void NatsServer::stop() {
  if (dir_.empty()) return;
  test::run_command(std::string(SB_NATSSERVER_SCRIPT) + " stop '" + dir_ + "' >/dev/null 2>&1");
  dir_.clear();
}

void NatsServer::restart() {
  stop();
  start(port_);
}

}  // namespace sb::bustest
