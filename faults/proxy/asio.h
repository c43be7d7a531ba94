// The parts of Boost.Asio the proxy uses, in one place; internal to the proxy
// (never included by headers other parts of ordeal see).
#pragma once

// Boost 1.74's awaitable.hpp uses std::exchange without including <utility>.
#include <utility>

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

}  // namespace ordeal::proxy
