// For tests only: a real HTTP server (cpp-httplib) on 127.0.0.1 at an
// ephemeral port, serving from its own thread for the lifetime of the
// object. Tests register handlers on server() before sending requests.
#pragma once

#include <httplib.h>

#include <atomic>
#include <chrono>
#include <string>
#include <thread>

namespace smelter::http_test {

class LoopbackServer {
 public:
  LoopbackServer() {
    port_ = server_.bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] { server_.listen_after_bind(); });
    // The socket already listens (connections would queue); waiting for
    // the loop keeps stop() from racing its start.
    for (int i = 0; i < 2000 && !server_.is_running(); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  ~LoopbackServer() { Stop(); }

  // Waits for handlers in flight to finish. Owners whose handlers use
  // their other members call this first in their destructors.
  void Stop() {
    release_ = true;  // wake handlers that are sleeping on purpose
    server_.stop();
    if (thread_.joinable()) thread_.join();
  }
  LoopbackServer(const LoopbackServer&) = delete;
  LoopbackServer& operator=(const LoopbackServer&) = delete;

  httplib::Server& server() { return server_; }
  int port() const { return port_; }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }

  // For handlers that simulate a slow service: sleeps up to `limit`, but
  // returns early once the server is being torn down.
  void SleepUnlessReleased(std::chrono::milliseconds limit) {
    auto until = std::chrono::steady_clock::now() + limit;
    while (!release_ && std::chrono::steady_clock::now() < until)
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }

 private:
  httplib::Server server_;
  int port_ = -1;
  std::thread thread_;
  std::atomic<bool> release_{false};
};

}  // namespace smelter::http_test
