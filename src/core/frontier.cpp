// ParetoFrontier::offer: a lookup and a forward sweep in a cost-ordered staircase (see frontier.hpp).
#include "glyphsieve/core/frontier.hpp"

#include <iterator>

namespace glyphsieve {

bool ParetoFrontier::offer(const Point& p, std::vector<std::int64_t>* dropped) {
  // The kept point with the largest cost <= p.cost has the best value of all those as cheap as p.
  auto after = by_cost_.upper_bound(p.cost);
  if (after != by_cost_.begin()) {
    const Point& best = std::prev(after)->second;
    if (best.value > p.value || (best.value == p.value && best.cost < p.cost)) return false;
  }
  // p dominates the kept points at least as dear and at most as good, but for exact ties.
  for (auto it = by_cost_.lower_bound(p.cost); it != by_cost_.end() && it->second.value <= p.value;) {
    if (it->second.cost == p.cost && it->second.value == p.value) {
      ++it;
      continue;
    }
    if (dropped) dropped->push_back(it->second.id);
    it = by_cost_.erase(it);
  }
  by_cost_.emplace(p.cost, p);  // after the points of equal cost: ties stay in offer order
  return true;
}

std::vector<ParetoFrontier::Point> ParetoFrontier::points() const {
  std::vector<Point> out;
  out.reserve(by_cost_.size());
  for (const auto& [cost, p] : by_cost_) out.push_back(p);
  return out;
}

}  // namespace glyphsieve
