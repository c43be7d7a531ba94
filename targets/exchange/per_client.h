// A list per client, the clients in id order: what a node looks up by
// client (a mass-cancel's orders, a mass-status's) without walking every
// client's. Few clients as a rule, so a sorted vector searched by halving,
// not a map; lists emptied by clear() keep their memory for the next case.
#pragma once

#include <algorithm>
#include <vector>

#include "targets/exchange/types.h"

namespace ordeal::exchange {

template <typename T>
class PerClient {
 public:
  struct List {
    ClientId client = 0;
    std::vector<T> items;
  };

  // The client's list, made (empty) if it has none.
  std::vector<T>& of(ClientId client) {
    auto at = slot(client);
    if (at == lists_.end() || at->client != client) at = lists_.insert(at, List{.client = client});
    return at->items;
  }
  // The client's list, or null when it has none.
  std::vector<T>* find(ClientId client) {
    const auto at = slot(client);
    return at == lists_.end() || at->client != client ? nullptr : &at->items;
  }
  // Every list, by client id.
  std::vector<List>& lists() { return lists_; }
  // Empties every list.
  void clear() {
    for (List& list : lists_) list.items.clear();
  }

 private:
  typename std::vector<List>::iterator slot(ClientId client) {
    return std::lower_bound(lists_.begin(), lists_.end(), client,
                            [](const List& list, ClientId c) { return list.client < c; });
  }

  std::vector<List> lists_;
};

}  // namespace ordeal::exchange
