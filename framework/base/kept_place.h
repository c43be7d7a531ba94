// A place on the heap for one object that is built in it again and again:
// the simulator builds every node of the exchange anew for each case, and
// building each in the memory of the one before saves an allocation and a
// free per node and case (for nodes over a kilobyte, malloc's slow path).
// The object itself is new each time, as make_unique would build it; only
// its memory is kept, until the place is destroyed.
//
//   KeptPlace<Gateway> gateway;
//   gateway.build(env, id, config, defects);  // a new gateway
//   gateway.drop();                           // destroyed, memory kept
//   gateway.build(env, id, config, defects);  // at the same address
#pragma once

#include <memory>
#include <optional>
#include <utility>

#include "framework/base/assert.h"

namespace ordeal {

template <typename T>
class KeptPlace {
 public:
  // Destroys the object there, if any, and builds a new one from `args`.
  template <typename... Args>
  T& build(Args&&... args) {
    if (!place_) place_ = std::make_unique<std::optional<T>>();
    return place_->emplace(std::forward<Args>(args)...);
  }
  // Destroys the object, keeping its memory for the next build().
  void drop() {
    if (place_) place_->reset();
  }
  bool built() const { return place_ && place_->has_value(); }

  T& operator*() const {
    ORDEAL_ASSERT(built());
    return **place_;
  }
  T* operator->() const { return &**this; }

 private:
  // The optional is never moved, so the object stays where it was built.
  std::unique_ptr<std::optional<T>> place_;
};

}  // namespace ordeal
