// ParetoFrontier against a brute-force definition of dominance, and SHA-256 against known digests.
#include "glyphsieve/core/frontier.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>

#include "glyphsieve/core/sha256.hpp"

namespace glyphsieve {
namespace {

using Point = ParetoFrontier::Point;

bool dominates(const Point& a, const Point& b) {
  return a.cost <= b.cost && a.value >= b.value && (a.cost < b.cost || a.value > b.value);
}

std::vector<std::int64_t> brute_force(const std::vector<Point>& all) {
  std::vector<std::int64_t> ids;
  for (const Point& p : all) {
    if (std::none_of(all.begin(), all.end(), [&](const Point& q) { return dominates(q, p); })) ids.push_back(p.id);
  }
  std::sort(ids.begin(), ids.end());
  return ids;
}

std::vector<std::int64_t> ids_of(const ParetoFrontier& f) {
  std::vector<std::int64_t> ids;
  for (const Point& p : f.points()) ids.push_back(p.id);
  std::sort(ids.begin(), ids.end());
  return ids;
}

TEST(ParetoFrontier, KeepsTheCheapestForEachBetterScore) {
  ParetoFrontier f;
  EXPECT_TRUE(f.offer({1000, 50, 1}));
  EXPECT_TRUE(f.offer({500, 40, 2}));    // cheaper, worse: both stay
  EXPECT_FALSE(f.offer({1100, 45, 3}));  // #1 is cheaper and better
  EXPECT_TRUE(f.offer({800, 45, 4}));    // between the two: dominated by neither
  EXPECT_EQ(ids_of(f), (std::vector<std::int64_t>{1, 2, 4}));
}

TEST(ParetoFrontier, DropsWhatANewPointDominatesAndReportsIt) {
  ParetoFrontier f;
  f.offer({1000, 50, 1});
  f.offer({1200, 60, 2});
  std::vector<std::int64_t> dropped;
  EXPECT_TRUE(f.offer({900, 60, 3}, &dropped));  // cheaper than both, as good as the best
  EXPECT_EQ(dropped, (std::vector<std::int64_t>{1, 2}));
  EXPECT_EQ(ids_of(f), (std::vector<std::int64_t>{3}));
}

TEST(ParetoFrontier, ExactTiesAreBothKeptButSameScoreDearerIsNot) {
  ParetoFrontier f;
  EXPECT_TRUE(f.offer({100, 10, 1}));
  EXPECT_TRUE(f.offer({100, 10, 2}));
  EXPECT_FALSE(f.offer({101, 10, 3}));  // same score, dearer
  EXPECT_FALSE(f.offer({100, 9, 4}));   // same price, worse
  const auto pts = f.points();
  ASSERT_EQ(pts.size(), 2u);
  EXPECT_EQ(pts[0].id, 1);  // ties in offer order
  EXPECT_EQ(pts[1].id, 2);
}

TEST(ParetoFrontier, MatchesBruteForceOnRandomPoints) {
  std::mt19937_64 rng(42);
  for (int round = 0; round < 200; ++round) {
    ParetoFrontier f;
    std::vector<Point> all;
    const int n = 1 + static_cast<int>(rng() % 60);
    for (int i = 0; i < n; ++i) {
      // Few distinct values, so that ties in cost, in value and in both are common.
      const Point p{static_cast<double>(rng() % 12), static_cast<double>(rng() % 12), i};
      all.push_back(p);
      f.offer(p);
    }
    ASSERT_EQ(ids_of(f), brute_force(all)) << "round " << round;
    const auto pts = f.points();
    for (std::size_t i = 1; i < pts.size(); ++i) {
      EXPECT_LE(pts[i - 1].cost, pts[i].cost);
      EXPECT_LE(pts[i - 1].value, pts[i].value);
    }
  }
}

TEST(ParetoFrontier, APointDominatedOnArrivalNeverReturns) {
  std::mt19937_64 rng(7);
  ParetoFrontier f;
  std::vector<Point> all;
  std::vector<std::int64_t> rejected_on_arrival;
  for (int i = 0; i < 500; ++i) {
    const Point p{static_cast<double>(rng() % 1000), static_cast<double>(rng() % 100), i};
    all.push_back(p);
    if (!f.offer(p)) rejected_on_arrival.push_back(i);
  }
  const auto final_ids = ids_of(f);
  for (const std::int64_t id : rejected_on_arrival) {
    EXPECT_FALSE(std::binary_search(final_ids.begin(), final_ids.end(), id)) << id;
  }
  EXPECT_EQ(final_ids, brute_force(all));
}

TEST(Sha256, KnownDigests) {
  EXPECT_EQ(sha256_hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(sha256_hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  Sha256 h;
  h.update("a");
  h.update("");
  EXPECT_EQ(h.hex(), sha256_hex("a"));
  h.update("bc");  // hex() does not end the digest
  EXPECT_EQ(h.hex(), sha256_hex("abc"));
}

}  // namespace
}  // namespace glyphsieve
