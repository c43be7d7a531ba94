// The fault proxy's types as JSON, for the control API and the standalone
// proxy's config: strict parsing (an unknown field or a wrong type is an
// error naming the field) and the replies' shapes.
//
//   ProxyFault fault;
//   std::string error = fault_from_json(nlohmann::json::parse(body), fault);
//   nlohmann::json reply = to_json(state);
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "faults/proxy/fault_proxy.h"

namespace ordeal::proxy {

// Empty when `json` is a valid fault (then in `fault`), else the error.
std::string fault_from_json(const nlohmann::json& json, ProxyFault& fault);
std::string options_from_json(const nlohmann::json& json, ProxyOptions& options);

nlohmann::json to_json(const FaultState& state);
nlohmann::json to_json(const ProxyState& state);

}  // namespace ordeal::proxy
