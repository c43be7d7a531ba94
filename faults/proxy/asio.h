// The parts of Boost.Asio the proxy uses, in one place; internal to the proxy
// (never included by headers other parts of ordeal see).
#pragma once

// Boost 1.74's awaitable.hpp uses std::exchange without including <utility>,
// so it comes first (and clang-format must not sort it after Boost).
// clang-format off
#include <optional>
#include <string>
#include <utility>
// clang-format on

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/connect.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>

namespace ordeal::proxy {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;
using boost::system::error_code;
template <typename T>
using awaitable = asio::awaitable<T>;

// Completion token that hands the error to `ec` instead of throwing.
inline auto into(error_code& ec) { return asio::redirect_error(asio::use_awaitable, ec); }

// Sleeps until `deadline`, or less if the timer is cancelled (a wake-up).
inline awaitable<void> sleep_until(asio::steady_timer& timer,
                                   asio::steady_timer::time_point deadline) {
  error_code ec;
  timer.expires_at(deadline);
  co_await timer.async_wait(into(ec));
}

// The next accepted connection, or nothing after an error (out of
// descriptors, the acceptor closed); an error pauses 10 ms rather than spin.
inline awaitable<std::optional<tcp::socket>> accept_next(tcp::acceptor& acceptor,
                                                         asio::steady_timer& backoff) {
  tcp::socket socket(acceptor.get_executor());
  error_code ec;
  co_await acceptor.async_accept(socket, into(ec));
  if (!ec) co_return std::optional<tcp::socket>(std::move(socket));
  if (acceptor.is_open())
    co_await sleep_until(backoff,
                         asio::steady_timer::clock_type::now() + std::chrono::milliseconds(10));
  co_return std::nullopt;
}

// Opens, binds and listens; the first error stops it.
inline error_code listen_on(tcp::acceptor& acceptor, const tcp::endpoint& endpoint) {
  error_code ec;
  acceptor.open(endpoint.protocol(), ec);
  if (!ec) acceptor.set_option(tcp::acceptor::reuse_address(true), ec);
  if (!ec) acceptor.bind(endpoint, ec);
  if (!ec) acceptor.listen(asio::socket_base::max_listen_connections, ec);
  return ec;
}

// "127.0.0.1:9000" or "[::1]:9000".
inline std::string host_port_of(const tcp::endpoint& endpoint) {
  const std::string host = endpoint.address().to_string();
  const std::string port = std::to_string(endpoint.port());
  return endpoint.address().is_v6() ? "[" + host + "]:" + port : host + ":" + port;
}

}  // namespace ordeal::proxy
