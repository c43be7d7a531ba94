// What the control API does for each request, apart from HTTP itself: the
// routes, their JSON bodies, and errors as {"error": "..."} naming the field.
//
//   GET    /proxies                      every proxy, with counters and faults
//   POST   /proxies                      {"name","listen","upstream",...}: create
//   GET    /proxies/NAME                 one proxy
//   DELETE /proxies/NAME                 close it and its connections
//   GET    /proxies/NAME/faults          its active faults
//   POST   /proxies/NAME/faults          {"kind",...}: add a fault
//   DELETE /proxies/NAME/faults/FAULT    remove (heal) one fault
//   POST   /reset                        remove every fault of every proxy
//
//   HttpReply reply = route(fault_proxy, "POST", "/reset", "");
#pragma once

#include <string>
#include <string_view>

#include "faults/proxy/fault_proxy.h"

namespace ordeal::proxy {

struct HttpReply {
  int status = 200;
  std::string body;  // JSON
};

HttpReply route(FaultProxy& proxy, std::string_view method, std::string_view target,
                std::string_view body);

}  // namespace ordeal::proxy
