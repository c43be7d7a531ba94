#include "targets/exchange/settled_pool.h"

#include <algorithm>
#include <vector>

#include "faults/fault_point.h"

namespace ordeal::exchange {
namespace {

constexpr size_t kShapesMax = 8;  // distinct shapes kept per thread
constexpr size_t kSparesMax = 2;  // idle working exchanges kept per shape

bool same_shape(const ExchangeConfig& a, const ExchangeConfig& b) {
  return a.defects == b.defects && a.replicas == b.replicas && a.shards == b.shards &&
         a.clients == b.clients && a.network.latency_min_us == b.network.latency_min_us &&
         a.network.latency_max_us == b.network.latency_max_us && a.metadata == b.metadata &&
         a.request_timeout_us == b.request_timeout_us;
}

struct Shape {
  int64_t settle_us = 0;
  std::unique_ptr<SimExchange> settled;  // never run past its settle
  std::vector<std::unique_ptr<SimExchange>> spares;
};

std::vector<Shape>& shapes() {
  thread_local std::vector<Shape> kept;
  return kept;
}

bool any_point_armed() {
  const auto points = faults::all_points();
  return std::any_of(points.begin(), points.end(), [](auto* p) { return p->armed(); });
}

std::unique_ptr<SimExchange> settle(ExchangeConfig config, int64_t settle_us) {
  config.seed = SettledPool::kSettleSeed;
  auto exchange = std::make_unique<SimExchange>(std::move(config));
  exchange->run_until(settle_us);
  return exchange;
}

Shape* find(const ExchangeConfig& config, int64_t settle_us) {
  for (Shape& shape : shapes()) {
    if (shape.settle_us == settle_us && same_shape(shape.settled->config(), config)) return &shape;
  }
  return nullptr;
}

}  // namespace

std::unique_ptr<SimExchange> SettledPool::take(const ExchangeConfig& config, int64_t settle_us) {
  if (any_point_armed()) {
    std::unique_ptr<SimExchange> exchange = settle(config, settle_us);
    exchange->reseed(config.seed);
    return exchange;
  }
  Shape* shape = find(config, settle_us);
  if (shape == nullptr) {
    if (shapes().size() >= kShapesMax) shapes().erase(shapes().begin());
    shapes().push_back(Shape{.settle_us = settle_us, .settled = settle(config, settle_us)});
    shape = &shapes().back();
  }
  std::unique_ptr<SimExchange> exchange;
  if (shape->spares.empty()) {
    exchange = std::make_unique<SimExchange>(shape->settled->config());
  } else {
    exchange = std::move(shape->spares.back());
    shape->spares.pop_back();
  }
  exchange->restore(*shape->settled);
  exchange->reseed(config.seed);
  return exchange;
}

void SettledPool::give_back(std::unique_ptr<SimExchange> exchange) {
  if (!exchange) return;
  exchange->set_listener(nullptr);
  for (Shape& shape : shapes()) {
    if (!same_shape(shape.settled->config(), exchange->config())) continue;
    if (shape.spares.size() < kSparesMax) shape.spares.push_back(std::move(exchange));
    return;
  }
}

}  // namespace ordeal::exchange
