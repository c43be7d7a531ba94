// The in-process fault proxy: one I/O thread, the named links, and calls from
// other threads handed to that thread with a timeout. See fault_proxy.h.
#include "faults/proxy/fault_proxy.h"

#include <fmt/format.h>
#include <pthread.h>

#include <future>
#include <map>
#include <thread>

#include "faults/proxy/control_api.h"
#include "faults/proxy/link.h"
#include "framework/base/thread_failure.h"

namespace ordeal::proxy {
namespace {

// How long a caller waits for the I/O thread to answer before giving up.
constexpr auto kCallTimeout = std::chrono::seconds(5);
constexpr size_t kProxiesMax = 256;

// "ordeal-proxy" in top -H, perf and /proc/PID/task/*/comm, so the proxy's
// own CPU time can be told from its host program's (proxy_bench reads it).
void name_this_thread() {
#if defined(__linux__)
  pthread_setname_np(pthread_self(), "ordeal-proxy");
#endif
}

template <typename T>
Result<T> not_found(std::string_view proxy) {
  return {.error = {ErrorKind::not_found, fmt::format("no proxy named '{}'", proxy)}};
}

}  // namespace

class FaultProxy::Impl {
 public:
  explicit Impl(FaultProxy& owner) : api_(io_, owner), work_(io_.get_executor()) {
    thread_ = std::thread([this] {
      name_this_thread();
      run_guarded_loop([this] { io_.run(); },
                       [this](const std::string& what) {
                         failure_.note("the fault proxy's I/O thread " + what);
                       });
    });
  }

  ~Impl() {
    call([this] {
      api_.close();
      for (auto& [name, link] : links_) link->close();
      links_.clear();
      return Result<Done>{};
    });
    io_.stop();  // whatever still waits (a closing handshake) is dropped with the context
    thread_.join();
  }

  // Runs `f` on the I/O thread and returns its result; from the I/O thread
  // itself (the control API) it runs at once.
  template <typename F>
  auto call(F f) -> decltype(f()) {
    using R = decltype(f());
    if (io_.get_executor().running_in_this_thread()) return f();
    auto task = std::make_shared<std::packaged_task<R()>>(std::move(f));
    auto future = task->get_future();
    asio::post(io_, [task] { (*task)(); });
    if (future.wait_for(kCallTimeout) != std::future_status::ready) {
      R timeout{};
      timeout.error = {ErrorKind::unavailable, "the proxy's I/O thread did not answer in 5 s"};
      return timeout;
    }
    return future.get();
  }

  Link* find(std::string_view name) {
    const auto it = links_.find(std::string(name));
    return it == links_.end() ? nullptr : it->second.get();
  }

  asio::io_context io_;
  ThreadFailure failure_;  // an exception out of a handler; the proxies serve on
  std::map<std::string, std::shared_ptr<Link>> links_;
  ControlApi api_;

 private:
  asio::executor_work_guard<asio::io_context::executor_type> work_;
  std::thread thread_;
};

FaultProxy::FaultProxy(uint64_t seed) : seed_(seed), impl_(std::make_unique<Impl>(*this)) {}

FaultProxy::~FaultProxy() = default;

std::string FaultProxy::failure() const { return impl_->failure_.what(); }
bool FaultProxy::failed() const { return impl_->failure_.failed(); }

Result<ProxyState> FaultProxy::add_proxy(const ProxyOptions& options) {
  return impl_->call([this, options]() -> Result<ProxyState> {
    if (!valid_name(options.name))
      return {.error = {ErrorKind::bad_input,
                        fmt::format("field 'name': '{}' must be 1-64 letters, digits, '-', '_' "
                                    "or '.'",
                                    options.name)}};
    if (impl_->find(options.name))
      return {.error = {ErrorKind::conflict,
                        fmt::format("field 'name': a proxy named '{}' exists", options.name)}};
    if (impl_->links_.size() >= kProxiesMax)
      return {.error = {ErrorKind::conflict, fmt::format("at most {} proxies", kProxiesMax)}};
    auto link = std::make_shared<Link>(impl_->io_, options, options.seed ? options.seed : seed_);
    if (std::string error = link->start(); !error.empty()) {
      link->close();
      return {.error = {ErrorKind::bad_input, error}};
    }
    impl_->links_.emplace(options.name, link);
    return {.value = link->state()};
  });
}

Result<Done> FaultProxy::remove_proxy(std::string_view name) {
  return impl_->call([this, name = std::string(name)]() -> Result<Done> {
    const auto it = impl_->links_.find(name);
    if (it == impl_->links_.end()) return not_found<Done>(name);
    it->second->close();
    impl_->links_.erase(it);
    return {};
  });
}

Result<ProxyState> FaultProxy::proxy(std::string_view name) const {
  return impl_->call([this, name = std::string(name)]() -> Result<ProxyState> {
    Link* link = impl_->find(name);
    if (!link) return not_found<ProxyState>(name);
    return {.value = link->state()};
  });
}

Result<std::vector<ProxyState>> FaultProxy::proxies() const {
  return impl_->call([this]() -> Result<std::vector<ProxyState>> {
    Result<std::vector<ProxyState>> result;
    for (const auto& [name, link] : impl_->links_) result.value.push_back(link->state());
    return result;
  });
}

Result<FaultState> FaultProxy::add_fault(std::string_view proxy, const ProxyFault& fault) {
  return impl_->call([this, proxy = std::string(proxy), fault]() -> Result<FaultState> {
    Link* link = impl_->find(proxy);
    if (!link) return not_found<FaultState>(proxy);
    return link->add_fault(fault);
  });
}

Result<Done> FaultProxy::remove_fault(std::string_view proxy, std::string_view fault) {
  return impl_->call(
      [this, proxy = std::string(proxy), fault = std::string(fault)]() -> Result<Done> {
        Link* link = impl_->find(proxy);
        if (!link) return not_found<Done>(proxy);
        if (!link->remove_fault(fault))
          return {.error = {ErrorKind::not_found,
                            fmt::format("proxy '{}' has no fault named '{}'", proxy, fault)}};
        return {};
      });
}

Result<Done> FaultProxy::heal_all() {
  return impl_->call([this]() -> Result<Done> {
    for (auto& [name, link] : impl_->links_) link->heal();
    return {};
  });
}

Result<std::string> FaultProxy::start_control_api(const std::string& address) {
  return impl_->call(
      [this, address]() -> Result<std::string> { return impl_->api_.start(address); });
}

}  // namespace ordeal::proxy
