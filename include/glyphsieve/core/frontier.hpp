// The price/score Pareto frontier, kept incrementally: a listing is on it when no other listing is at
// least as cheap and at least as good, and strictly better in one of the two. Used by the frontier
// stage (the on_frontier column) and the report (its frontier section and chart).
#pragma once

#include <cstdint>
#include <map>
#include <vector>

namespace glyphsieve {

/// The non-dominated points among those offered so far, minimising `cost` and maximising `value`.
/// Two points with the same cost and value do not dominate each other: both are kept. Memory grows
/// with the frontier, not with the points offered (a frontier is a staircase: typically tens of points,
/// at worst every point when each one is both dearer and better than all before it).
class ParetoFrontier {
 public:
  struct Point {
    double cost = 0;      ///< e.g. unit price; REQUIRES finite
    double value = 0;     ///< e.g. score; REQUIRES finite
    std::int64_t id = 0;  ///< the caller's handle (an input line, an ordinal)
  };

  /// Keeps `p` unless a kept point dominates it; when kept, drops every kept point `p` dominates and
  /// appends their ids to `dropped` (when given). Returns whether `p` was kept. A point dominated on
  /// arrival can never be on the frontier later (whatever dominates it stays dominated by what is kept).
  bool offer(const Point& p, std::vector<std::int64_t>* dropped = nullptr);

  /// The frontier by cost ascending (value ascending with it), ties in offer order.
  std::vector<Point> points() const;
  std::size_t size() const { return by_cost_.size(); }

 private:
  std::multimap<double, Point> by_cost_;  // values strictly increase with cost, except exact ties
};

}  // namespace glyphsieve
