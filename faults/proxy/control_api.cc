// The HTTP transport of the control API: see control_api.h. What each route
// does lives in control_routes.cc, which knows nothing of HTTP libraries.
#include "faults/proxy/control_api.h"

#include <fmt/format.h>

#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>

#include "faults/proxy/control_routes.h"
#include "faults/proxy/host_port.h"

namespace ordeal::proxy {
namespace {

namespace beast = boost::beast;
namespace http = beast::http;

constexpr size_t kSessionsMax = 32;
constexpr int kRequestsPerSessionMax = 1000;
constexpr size_t kBodyBytesMax = 64 * 1024;
constexpr auto kRequestTimeout = std::chrono::seconds(5);

http::response<http::string_body> respond(const http::request<http::string_body>& request,
                                          const HttpReply& reply) {
  http::response<http::string_body> response{static_cast<http::status>(reply.status),
                                             request.version()};
  response.set(http::field::content_type, "application/json");
  response.keep_alive(request.keep_alive());
  response.body() = reply.body;
  response.prepare_payload();
  return response;
}

}  // namespace

ControlApi::ControlApi(asio::io_context& io, FaultProxy& proxy)
    : io_(io), proxy_(proxy), acceptor_(io) {}

Result<std::string> ControlApi::start(const std::string& address) {
  if (started_) return {.error = {ErrorKind::conflict, "the control API is already serving"}};
  std::string error;
  const auto host_port = parse_host_port(address, error);
  if (!host_port) return {.error = {ErrorKind::bad_input, "control API address: " + error}};
  error_code ec;
  const auto ip = asio::ip::make_address(host_port->host, ec);
  if (ec)
    return {.error = {ErrorKind::bad_input,
                      fmt::format("control API address: '{}' is not an IP address (use "
                                  "127.0.0.1 to stay on loopback)",
                                  host_port->host)}};
  const tcp::endpoint endpoint(ip, host_port->port);
  ec = listen_on(acceptor_, endpoint);
  if (ec)
    return {.error = {ErrorKind::unavailable, fmt::format("control API: cannot listen on '{}': {}",
                                                          address, ec.message())}};
  started_ = true;
  asio::co_spawn(io_, accept_loop(), asio::detached);
  return {.value = host_port_of(acceptor_.local_endpoint())};
}

void ControlApi::close() {
  closed_ = true;
  error_code ec;
  acceptor_.close(ec);
  for (auto& [id, socket] : sessions_) socket->close(ec);
}

awaitable<void> ControlApi::accept_loop() {
  asio::steady_timer backoff(io_);
  while (!closed_) {
    std::optional<tcp::socket> socket = co_await accept_next(acceptor_, backoff);
    if (closed_) break;
    // Past the bound the socket is closed as it goes out of scope.
    if (!socket || sessions_.size() >= kSessionsMax) continue;
    asio::co_spawn(io_, serve(std::move(*socket), next_session_id_++), asio::detached);
  }
}

// One client: requests answered in turn, each read within kRequestTimeout.
awaitable<void> ControlApi::serve(tcp::socket socket, uint64_t id) {
  beast::tcp_stream stream(std::move(socket));
  sessions_[id] = &stream.socket();
  beast::flat_buffer buffer;
  for (int served = 0; served < kRequestsPerSessionMax && !closed_; ++served) {
    http::request_parser<http::string_body> parser;
    parser.body_limit(kBodyBytesMax);
    stream.expires_after(kRequestTimeout);
    error_code ec;
    co_await http::async_read(stream, buffer, parser, into(ec));
    if (ec == http::error::body_limit) {
      http::response<http::string_body> too_large{http::status::payload_too_large, 11};
      too_large.set(http::field::content_type, "application/json");
      too_large.body() = fmt::format(R"({{"error":"body larger than {} bytes"}})", kBodyBytesMax);
      too_large.prepare_payload();
      co_await http::async_write(stream, too_large, into(ec));
      break;
    }
    if (ec) break;
    const auto& request = parser.get();
    const HttpReply reply = route(proxy_, std::string(request.method_string()),
                                  std::string(request.target()), request.body());
    auto response = respond(request, reply);
    stream.expires_after(kRequestTimeout);
    co_await http::async_write(stream, response, into(ec));
    if (ec || !request.keep_alive()) break;
  }
  sessions_.erase(id);
  error_code ec;
  stream.socket().shutdown(tcp::socket::shutdown_send, ec);
}

}  // namespace ordeal::proxy
