// The `bind` interposer behind listen_address.h. The executable's own
// definition of `bind` is found before libc's by the dynamic linker, for
// calls from shared libraries (QuickFIX) as well as from ordeal's code; the
// real one is looked up once with RTLD_NEXT.
#include "targets/fix/listen_address.h"

#include <arpa/inet.h>
#include <dlfcn.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <atomic>
#include <cerrno>
#include <cstring>

namespace ordeal::fix {
namespace {

// Port in the high half, IPv4 address (network order) in the low half;
// 0: nothing confined. One word, so a bind on another thread sees both or neither.
std::atomic<uint64_t> g_confined{0};

using BindFn = int (*)(int, const sockaddr*, socklen_t);

BindFn real_bind() {
  static const BindFn fn = reinterpret_cast<BindFn>(dlsym(RTLD_NEXT, "bind"));
  return fn;
}

}  // namespace

std::string confine_listen_address(uint16_t port, const std::string& host) {
  if (port == 0) {
    g_confined.store(0);
    return {};
  }
  in_addr address{};
  if (inet_pton(AF_INET, host.c_str(), &address) != 1)
    return "the FIX port listens on IPv4 only; '" + host + "' is not an IPv4 address";
  g_confined.store(uint64_t{port} << 32 | address.s_addr);
  return {};
}

}  // namespace ordeal::fix

extern "C" int bind(int fd, const sockaddr* addr, socklen_t len) noexcept {
  const ordeal::fix::BindFn real = ordeal::fix::real_bind();
  if (real == nullptr) {
    errno = ENOSYS;
    return -1;
  }
  const uint64_t confined = ordeal::fix::g_confined.load();
  if (confined == 0 || addr == nullptr || addr->sa_family != AF_INET || len < sizeof(sockaddr_in))
    return real(fd, addr, len);
  sockaddr_in in{};
  std::memcpy(&in, addr, sizeof in);
  if (in.sin_addr.s_addr != htonl(INADDR_ANY) || ntohs(in.sin_port) != (confined >> 32))
    return real(fd, addr, len);
  in.sin_addr.s_addr = static_cast<in_addr_t>(confined & 0xffffffffu);
  return real(fd, reinterpret_cast<const sockaddr*>(&in), sizeof in);
}
