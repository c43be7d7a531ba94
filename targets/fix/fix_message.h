// One FIX application message as plain data: its MsgType and its body
// fields as tag/value pairs. It is the one type that crosses between ordeal
// (C++20) and the QuickFIX engine (C++14 translation units), so this header
// stays valid C++14.
//
//   FixMessage m{"D", {}};
//   m.set(11, "c1-1");
//   std::string clordid = m.get(11);  // "" when absent
#pragma once

#include <string>
#include <utility>
#include <vector>

namespace ordeal {
namespace fix {

struct FixMessage {
  std::string type;  // MsgType (35): "D", "8", ...
  std::vector<std::pair<int, std::string> > fields;

  const std::string* find(int tag) const {
    for (const auto& field : fields) {
      if (field.first == tag) return &field.second;
    }
    return nullptr;
  }
  std::string get(int tag) const {
    const std::string* value = find(tag);
    return value == nullptr ? std::string() : *value;
  }
  bool has(int tag) const { return find(tag) != nullptr; }
  // FIX has no empty values: an empty one is left out.
  void set(int tag, std::string value) {
    if (!value.empty()) fields.emplace_back(tag, std::move(value));
  }
};

}  // namespace fix
}  // namespace ordeal
